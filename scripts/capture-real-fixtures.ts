// Re-captures backend/src/stream/fixtures/real/: the real CLI's stdout for each scenario against
// the mock model. Run after bumping the CLI version: `npx tsx scripts/capture-real-fixtures.ts`;
// with names (`... subagent build`), only those are captured and the rest of index.json is kept.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedClaudeBin, runClaude, type ClaudeRunResult } from "./mock-model/run-claude.js";
import type { ScenarioInput } from "./mock-model/scenario.js";
import { REAL_FIXTURES_DIR } from "@catalyst/backend/stream/fixtures";
import { startMockModel } from "./mock-model/server.js";
import { z } from "zod";

const outDir = REAL_FIXTURES_DIR;

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
    name: "subagent",
    what: "the model starts a subagent (Agent tool); its request is answered with sideText",
    scenario: {
      turns: [
        {
          type: "tool",
          name: "Agent",
          input: {
            description: "Look around",
            prompt: "List the files here.",
            subagent_type: "general-purpose",
            run_in_background: false,
          },
        },
        { type: "text", text: "The helper looked around." },
      ],
      sideText: "There is one file: notes.txt.",
    },
    args: [...partial, ...build],
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
  rmSync(cwd, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
  return { result, args };
}

const indexSchema = z.object({
  captures: z.array(z.looseObject({ name: z.string() })),
});

function readIndex(): Record<string, unknown>[] {
  const path = join(outDir, "index.json");
  if (!existsSync(path)) return [];
  return indexSchema.parse(JSON.parse(readFileSync(path, "utf8"))).captures;
}

async function main(): Promise<void> {
  const bin = process.env.CLAUDE_BIN ?? cachedClaudeBin;
  if (!existsSync(bin))
    throw new Error(`no CLI at ${bin}: run npm run --silent install-claude first`);
  mkdirSync(outDir, { recursive: true });
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !captures.some((c) => c.name === n));
  if (unknown.length > 0) throw new Error(`no such capture: ${unknown.join(", ")}`);
  const previous = only.length > 0 ? readIndex() : [];
  const index: Record<string, unknown>[] = [];
  const version = /^(\S+) \(Claude Code\)/.exec(
    spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout,
  )?.[1];
  if (!version) throw new Error(`${bin} --version did not say which Claude Code it is`);
  for (const c of captures) {
    if (only.length > 0 && !only.includes(c.name)) {
      const kept = previous.find((p) => p.name === c.name);
      if (kept) index.push(kept);
      continue;
    }
    const { result, args } = await capture(c, bin);
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
