// fake-claude's flow: flags, prompt from stdin, session, scenarios in order, the final result.
import { createHash } from "node:crypto";
import { availableTools, parseArgs, UsageError } from "./args.mjs";
import { accountCommand } from "./auth.mjs";
import { parseDirectives, parseScenarioEnv } from "./directives.mjs";
import { Output, writeOut } from "./output.mjs";
import { scenarios } from "./scenarios.mjs";
import { Control, Interrupted, userText } from "./live.mjs";
import { createInterface } from "node:readline";
import { openSession, saveSession } from "./session.mjs";

const VERSION = process.env.FAKE_CLAUDE_VERSION ?? "2.0.76";
const DEFAULT_MODEL = "claude-sonnet-4-5-20250929";

function fail(message, code = 1) {
  process.stderr.write(`${message}\n`);
  process.exitCode = code;
}

async function readStdin() {
  if (process.stdin.isTTY) return Buffer.alloc(0);
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function main(argv) {
  // A reader that goes away must not crash us with an unhandled EPIPE.
  process.stdout.on("error", () => process.exit(1));
  const accountExit = await accountCommand(argv);
  if (accountExit !== null) {
    process.exitCode = accountExit;
    return;
  }
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    throw err;
  }
  if (opts.version) return void (await writeOut(`${VERSION} (Claude Code)\n`));
  if (opts.help) {
    return void (await writeOut(
      "Usage: fake-claude -p [options] [prompt]\nA stand-in for the claude CLI; see scripts/fake-claude.\n",
    ));
  }

  if (opts.inputFormat === "stream-json") return runLive(opts, argv);

  const stdin = await readStdin();
  let prompt = stdin.toString("utf8");
  if (opts.prompt !== null) prompt = prompt ? `${prompt}\n${opts.prompt}` : opts.prompt;
  if (!prompt.trim()) {
    return fail(
      "Error: Input must be provided either through stdin or as a prompt argument when using --print",
    );
  }
  const cwd = process.cwd();
  const session = openSession(cwd, opts.resume, opts.sessionId);
  const out = newOutput(opts, session, cwd);
  if (session.error) return sessionFailed(out, session);
  const state = { ignoreSigint: false, result: null, exitCode: null };
  onSigint(state, () => out);
  const code = await runTurn(
    { opts, argv, stdin, session, state, cwd, control: null },
    out,
    prompt,
  );
  if (code === "unknown") return;
  if (code !== null) process.exitCode = code;
}

function newOutput(opts, session, cwd) {
  return new Output({
    opts,
    sessionId: session.id ?? opts.resume,
    cwd,
    // Claude Code 2.1 lists every tool in init even with --tools; the fake lists the tools the
    // model really has, which tests of the command line rely on.
    tools: availableTools(opts),
    model: opts.model ?? process.env.ANTHROPIC_MODEL ?? DEFAULT_MODEL,
    version: VERSION,
    spent: session.spent,
  });
}

async function sessionFailed(out, session) {
  // Like the real CLI: one result line on stdout (no init), the message on stderr, exit 1.
  out.initSent = true;
  await out.result({ subtype: "error_during_execution", errors: [session.error] });
  return fail(session.error);
}

async function interruptedResult(out) {
  await out.user([{ type: "text", text: "[Request interrupted by user]" }]);
  await out.result({
    subtype: "error_during_execution",
    errors: [],
    terminalReason: "aborted_streaming",
  });
}

function onSigint(state, currentOut) {
  process.on("SIGINT", () => {
    if (state.ignoreSigint) {
      process.stderr.write("fake-claude: ignoring SIGINT\n");
      return;
    }
    const out = currentOut();
    if (!out || out.finished) process.exit(0);
    // Like the real CLI: an interrupted run still ends with a result line, and exit code 0.
    interruptedResult(out).finally(() => process.exit(0));
  });
}

/** One prompt's scenarios and its result; returns the exit code asked for, or "unknown". */
async function runTurn(base, out, prompt) {
  const { opts, state, cwd, session } = base;
  let steps = parseDirectives(prompt);
  if (steps.length === 0) steps = parseScenarioEnv(process.env.FAKE_CLAUDE_SCENARIO ?? "");
  if (steps.length === 0) steps = [{ name: "hello", params: {} }];
  const unknown = steps.find((s) => !Object.hasOwn(scenarios, s.name));
  if (unknown) {
    fail(
      `fake-claude: unknown scenario '${unknown.name}' (known: ${Object.keys(scenarios).join(", ")})`,
      2,
    );
    return "unknown";
  }
  state.result = null;
  const ctx = {
    ...base,
    out,
    prompt,
    tools: availableTools(base.opts),
    isLast: false,
    stop: (code) => {
      state.exitCode = code;
    },
  };
  for (const [i, step] of steps.entries()) {
    ctx.isLast = i === steps.length - 1;
    await scenarios[step.name](ctx, step.params);
    if (state.exitCode !== null && !state.result) return state.exitCode;
  }
  // Like the real CLI (checked after each turn; here once, at the end): over --max-budget-usd,
  // the run ends with error_max_budget_usd, zeroed `usage`, and exit code 1.
  const budget = opts.maxBudgetUsd === null ? null : Number(opts.maxBudgetUsd);
  if (!state.result && budget !== null && out.processCostUsd() >= budget) {
    state.result = {
      subtype: "error_max_budget_usd",
      errors: [`Reached maximum budget ($${budget})`],
      zeroUsage: true,
    };
    state.exitCode = 1;
  }
  await out.result(state.result ?? {});
  const record = {
    at: new Date().toISOString(),
    promptBytes: Buffer.byteLength(prompt),
    promptSha256: createHash("sha256").update(prompt).digest("hex"),
  };
  saveSession(cwd, session, record, out.sessionSpent());
  session.turns.push(record);
  // The next turn of a live session starts from this one's session cost.
  session.spent = out.sessionSpent();
  return state.exitCode;
}

/** A live session: turns from stdin `user` lines, control lines both ways (see live.mjs). */
async function runLive(opts, argv) {
  const cwd = process.cwd();
  const session = openSession(cwd, opts.resume, opts.sessionId);
  if (session.error) return sessionFailed(newOutput(opts, session, cwd), session);
  const state = { ignoreSigint: false, result: null, exitCode: null };
  const control = new Control({ stdio: opts.permissionPromptTool === "stdio", cwd, state });
  const queue = [];
  let wake = () => {};
  let closed = false;
  let current = null;
  let lastInterrupted = false;
  onSigint(state, () => current);

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      process.stderr.write(`Error parsing streaming input line: ${line.slice(0, 200)}\n`);
      return;
    }
    if (msg?.type === "control_request" || msg?.type === "control_response") {
      void control.receive(msg);
      return;
    }
    const text = userText(msg);
    if (text === null) return;
    queue.push(text);
    wake();
  });
  lines.on("close", () => {
    closed = true;
    wake();
  });

  let turns = 0;
  for (;;) {
    if (queue.length === 0) {
      if (closed) break;
      await new Promise((r) => (wake = r));
      continue;
    }
    const prompt = queue.shift();
    turns++;
    const out = newOutput(opts, session, cwd);
    current = out;
    const interrupted = new Promise((r) => (control.onInterrupt = () => r("interrupted")));
    const turn = runTurn(
      { opts, argv, stdin: Buffer.from(prompt), session, state, cwd, control },
      out,
      prompt,
    ).catch((err) => (err instanceof Interrupted ? "interrupted" : Promise.reject(err)));
    const how = await Promise.race([turn, interrupted]);
    control.onInterrupt = () => {};
    lastInterrupted = how === "interrupted";
    if (lastInterrupted) {
      // What the abandoned turn still writes goes nowhere; the interrupted turn ends here.
      out.line = async () => {};
      const end = newOutput(opts, session, cwd);
      end.initSent = true;
      await interruptedResult(end);
      continue;
    }
    // A scenario that exits (exit, an unknown one) ends the process, open stdin or not.
    if (how === "unknown") process.exit();
    if (how !== null) process.exit(how);
  }
  if (turns === 0) {
    return fail(
      "Error: Input must be provided either through stdin or as a prompt argument when using --print",
    );
  }
  // Like the real CLI: a session whose last turn was interrupted exits 1 once stdin closes.
  if (lastInterrupted) process.exitCode = 1;
  process.exit();
}
