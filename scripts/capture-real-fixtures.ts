// Re-captures backend/src/stream/fixtures/real/: the real CLI's stdout for each scenario against
// the mock model. Run after bumping the CLI version: `npx tsx scripts/capture-real-fixtures.ts`.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cachedClaudeBin, runClaude, type ClaudeRunResult } from "./mock-model/run-claude.js";
import type { ScenarioInput } from "./mock-model/scenario.js";
import { startMockModel } from "./mock-model/server.js";

const outDir = resolve(import.meta.dirname, "../backend/src/stream/fixtures/real");

const base = ["-p", "--output-format", "stream-json", "--verbose"];
const partial = [...base, "--include-partial-messages"];
const chat = ["--tools", "Read,Grep,Glob", "--allowedTools", "Read,Grep,Glob"];
const build = ["--permission-mode", "acceptEdits"];
const noRetry = { CLAUDE_CODE_MAX_RETRIES: "0" };

interface Capture {
  name: string;
  what: string;
  scenario: ScenarioInput;
  args: string[];
  env?: Record<string, string>;
  interruptWhen?: string;
  /** Runs before the captured run, in the same cwd and HOME (e.g. to create a session). */
  before?: { scenario: ScenarioInput; args: string[] };
  /** `--resume` with the session id of the `before` run. */
  resumeBefore?: boolean;
}

const slowText = Array.from({ length: 200 }, (_, i) => `line ${i + 1}.`).join(" ");

const captures: Capture[] = [
  {
    name: "hello",
    what: "one text answer",
    scenario: { turns: [{ type: "text", text: "Hello from the mock model." }] },
    args: base,
  },
  {
    name: "chat-read",
    what: "chat mode: the model reads a file with Read, then answers",
    scenario: {
      turns: [
        {
          type: "tool",
          name: "Read",
          input: { file_path: "notes.txt" },
          text: "Let me read the notes.",
        },
        { type: "text", text: "The notes say: remember the milk." },
      ],
    },
    args: [...base, ...chat],
  },
  {
    name: "chat-denied",
    what: "chat mode: the model asks for Write and Bash, which do not exist there",
    scenario: {
      turns: [
        { type: "tool", name: "Write", input: { file_path: "evil.txt", content: "x" } },
        {
          type: "tool",
          name: "Bash",
          input: { command: "touch bashed.txt", description: "touch a file" },
        },
        { type: "text", text: "I cannot change files in this mode." },
      ],
    },
    args: [...base, ...chat],
  },
  {
    name: "build",
    what: "build mode (acceptEdits): Write then Bash",
    scenario: {
      turns: [
        { type: "tool", name: "Write", input: { file_path: "hello.txt", content: "built\n" } },
        {
          type: "tool",
          name: "Bash",
          input: { command: "cat hello.txt", description: "show the file" },
        },
        { type: "text", text: "Built hello.txt." },
      ],
    },
    args: [...base, ...build],
  },
  {
    name: "resume",
    what: "a second run with --resume of the first run's session",
    before: { scenario: { turns: [{ type: "text", text: "First answer." }] }, args: base },
    resumeBefore: true,
    scenario: { turns: [{ type: "text", text: "Second answer, same session." }] },
    args: base,
  },
  {
    name: "resume-unknown",
    what: "--resume with a session id that does not exist (exit 1)",
    scenario: { turns: [] },
    args: [...base, "--resume", "11111111-2222-4333-8444-555555555555"],
  },
  {
    name: "partial-read",
    what: "--include-partial-messages with a tool call and a text answer",
    scenario: {
      turns: [
        { type: "tool", name: "Read", input: { file_path: "notes.txt" }, text: "Reading." },
        { type: "text", text: "Done reading: milk.", deltaChars: 4 },
      ],
    },
    args: [...partial, ...chat],
  },
  {
    name: "sigint-slow",
    what: "SIGINT during slow partial output (result error_during_execution, exit 0)",
    scenario: { turns: [{ type: "text", text: slowText, deltaChars: 8, intervalMs: 40 }] },
    args: partial,
    interruptWhen: "line 5.",
  },
  {
    name: "error-500",
    what: "the model answers HTTP 500 (no retries)",
    scenario: { turns: [{ type: "error", status: 500 }] },
    args: base,
    env: noRetry,
  },
  {
    name: "error-401",
    what: "the model answers HTTP 401 (no retries)",
    scenario: { turns: [{ type: "error", status: 401 }] },
    args: base,
    env: noRetry,
  },
  {
    name: "error-529",
    what: "the model answers HTTP 529 (no retries)",
    scenario: { turns: [{ type: "error", status: 529 }] },
    args: base,
    env: noRetry,
  },
  {
    name: "drop-retry",
    what: "the stream is cut midway; the CLI retries (system/api_retry) and gets the answer",
    scenario: {
      turns: [
        { type: "drop", partialText: "Half an ans" },
        { type: "text", text: "Whole answer." },
      ],
    },
    args: base,
  },
];

async function capture(
  c: Capture,
  bin: string,
): Promise<{ result: ClaudeRunResult; args: string[] }> {
  const cwd = mkdtempSync(join(tmpdir(), "capture-cwd-"));
  const home = mkdtempSync(join(tmpdir(), "capture-home-"));
  writeFileSync(join(cwd, "notes.txt"), "remember the milk\n");
  let args = c.args;
  if (c.before) {
    const m = await startMockModel(c.before.scenario);
    const first = await runClaude({
      bin,
      modelUrl: m.url,
      args: c.before.args,
      prompt: "First question",
      cwd,
      home,
    });
    await m.close();
    const sessionId = /"session_id":"([0-9a-f-]{36})"/.exec(first.stdout)?.[1];
    if (!sessionId)
      throw new Error(`${c.name}: the first run printed no session id:\n${first.stderr}`);
    if (c.resumeBefore) args = [...args, "--resume", sessionId];
  }
  const m = await startMockModel(c.scenario);
  const result = await runClaude({
    bin,
    modelUrl: m.url,
    args,
    prompt: "Please do the thing.",
    cwd,
    home,
    env: c.env ?? {},
    ...(c.interruptWhen ? { interruptWhen: c.interruptWhen } : {}),
  });
  await m.close();
  return { result, args };
}

async function main(): Promise<void> {
  const bin = process.env.CLAUDE_BIN ?? cachedClaudeBin;
  if (!existsSync(bin))
    throw new Error(`no CLI at ${bin}: run npm run --silent install-claude first`);
  mkdirSync(outDir, { recursive: true });
  const index: Record<string, unknown>[] = [];
  let version = "";
  for (const c of captures) {
    const { result, args } = await capture(c, bin);
    version ||= /"claude_code_version":"([^"]+)"/.exec(result.stdout)?.[1] ?? "";
    writeFileSync(join(outDir, `${c.name}.ndjson`), result.stdout);
    index.push({
      name: c.name,
      what: c.what,
      args,
      env: c.env ?? {},
      exitCode: result.code,
      stderr: result.stderr,
    });
    console.error(
      `captured ${c.name}: exit ${result.code}, ${result.stdout.split("\n").filter(Boolean).length} lines`,
    );
  }
  writeFileSync(
    join(outDir, "index.json"),
    `${JSON.stringify({ cliVersion: version, captures: index }, null, 2)}\n`,
  );
  console.log(JSON.stringify({ outDir, cliVersion: version, fixtures: captures.length }));
}

await main();
