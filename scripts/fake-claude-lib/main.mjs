// fake-claude's flow: flags, prompt from stdin, session, scenarios in order, the final result.
import { createHash } from "node:crypto";
import { availableTools, parseArgs, UsageError } from "./args.mjs";
import { accountCommand } from "./auth.mjs";
import { parseDirectives, parseScenarioEnv } from "./directives.mjs";
import { Output, writeOut } from "./output.mjs";
import { scenarios } from "./scenarios.mjs";
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

// `--input-format stream-json`: stdin holds user messages, one JSON object per line.
function promptFromStreamJson(text) {
  const parts = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      throw new UsageError(`Error parsing streaming input line: ${line.slice(0, 200)}`);
    }
    const content = msg?.message?.content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content)) {
      for (const b of content)
        if (b && b.type === "text" && typeof b.text === "string") parts.push(b.text);
    }
  }
  return parts.join("\n");
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

  const stdin = await readStdin();
  let prompt;
  try {
    prompt =
      opts.inputFormat === "stream-json"
        ? promptFromStreamJson(stdin.toString("utf8"))
        : stdin.toString("utf8");
  } catch (err) {
    return fail(err.message);
  }
  if (opts.prompt !== null) prompt = prompt ? `${prompt}\n${opts.prompt}` : opts.prompt;
  if (!prompt.trim()) {
    return fail(
      "Error: Input must be provided either through stdin or as a prompt argument when using --print",
    );
  }

  const cwd = process.cwd();
  const session = openSession(cwd, opts.resume, opts.sessionId);

  let steps = parseDirectives(prompt);
  if (steps.length === 0) steps = parseScenarioEnv(process.env.FAKE_CLAUDE_SCENARIO ?? "");
  if (steps.length === 0) steps = [{ name: "hello", params: {} }];
  const unknown = steps.find((s) => !Object.hasOwn(scenarios, s.name));
  if (unknown) {
    return fail(
      `fake-claude: unknown scenario '${unknown.name}' (known: ${Object.keys(scenarios).join(", ")})`,
      2,
    );
  }

  const out = new Output({
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
  if (session.error) {
    // Like the real CLI: one result line on stdout (no init), the message on stderr, exit 1.
    out.initSent = true;
    await out.result({ subtype: "error_during_execution", errors: [session.error] });
    return fail(session.error);
  }
  const state = { ignoreSigint: false, result: null, exitCode: null };
  process.on("SIGINT", () => {
    if (state.ignoreSigint) {
      process.stderr.write("fake-claude: ignoring SIGINT\n");
      return;
    }
    // Like the real CLI: an interrupted run still ends with a result line, and exit code 0.
    if (out.finished) process.exit(0);
    // Like the real CLI: an interrupted run still ends with a result line, and exit code 0.
    out
      .user([{ type: "text", text: "[Request interrupted by user]" }])
      .then(() =>
        out.result({
          subtype: "error_during_execution",
          errors: [],
          terminalReason: "aborted_streaming",
        }),
      )
      .finally(() => process.exit(0));
  });

  const ctx = {
    opts,
    out,
    cwd,
    argv,
    prompt,
    stdin,
    session,
    tools: availableTools(opts),
    state,
    isLast: false,
    stop: (code) => {
      state.exitCode = code;
    },
  };
  for (const [i, step] of steps.entries()) {
    ctx.isLast = i === steps.length - 1;
    await scenarios[step.name](ctx, step.params);
    if (state.exitCode !== null && !state.result) {
      process.exitCode = state.exitCode;
      return;
    }
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
  if (state.exitCode !== null) process.exitCode = state.exitCode;
  saveSession(
    cwd,
    session,
    {
      at: new Date().toISOString(),
      promptBytes: Buffer.byteLength(prompt),
      promptSha256: createHash("sha256").update(prompt).digest("hex"),
    },
    out.sessionSpent(),
  );
}
