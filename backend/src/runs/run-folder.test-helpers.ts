// Drives the durable launch and the run-folder scripts through a real Executor, for the tests of
// wrapper-script.ts's buildLaunchScript and run-folder.ts (local sh and the real sshd alike).
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { nanoid } from "nanoid";
import { z } from "zod";
import type { ExecChild, Executor } from "../exec/executor.js";
import { sweepScript } from "./kill-scripts.js";
import { EXEC_MARKER, PID_MARKER } from "./markers.js";
import { followScript, inputScript } from "./run-folder.js";
import { parseRunStatus, statusScript, type RunStatus } from "./run-status.js";
import { envHeader } from "./secret-env.js";
import { buildLaunchScript, type WrapperInput } from "./wrapper-script.js";

export const FAKE_CLAUDE = resolve(import.meta.dirname, "../../../scripts/fake-claude");
export const LIVE_ARGS = [
  "-p",
  "--output-format",
  "stream-json",
  "--verbose",
  "--input-format",
  "stream-json",
];

/** A stream-json user message, as the live session writes it. */
export const userLine = (text: string) =>
  `${JSON.stringify({ type: "user", message: { role: "user", content: text } })}\n`;

const roots: string[] = [];

/**
 * A fresh REMOTE_ROOT, removed by `removeTempRoots`. Its name has a space, quotes, `$` and a
 * backquote: every script must keep it one word, never code.
 */
export function tempRoot(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-runfolder-")));
  roots.push(root);
  const hostile = join(root, `it's a "root" $HOME \`id\``);
  mkdirSync(hostile);
  return hostile;
}

export function removeTempRoots(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/** An executable shell script in `dir` (a stand-in CLI). */
export function shellCli(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  what: string,
  get: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A started process's output, gathered as it comes. */
export interface Gathered {
  child: ExecChild;
  out: () => Buffer;
  err: () => Buffer;
  exit: Promise<number | null>;
}

export async function startGathering(executor: Executor, script: string): Promise<Gathered> {
  const child = await executor.start(script);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c));
  child.stderr.on("data", (c: Buffer) => err.push(c));
  const exit = (async () => {
    const e = await child.exit;
    await child.closed;
    return e.code;
  })();
  return { child, out: () => Buffer.concat(out), err: () => Buffer.concat(err), exit };
}

export interface Launched extends Gathered {
  /** The last process group the launch reported (the CLI's). */
  pgid: number;
  pids: number[];
}

export function launchInput(root: string, over: Partial<WrapperInput> = {}): WrapperInput {
  return {
    runId: nanoid(),
    ideaId: nanoid(),
    remoteRoot: root,
    claudeBin: FAKE_CLAUDE,
    args: LIVE_ARGS,
    // The login shell step has its own tests (wrapper-script.test.ts); a shared machine's profile
    // (pyenv's rehash lock) must not slow these down.
    knownPath: process.env.PATH ?? "/usr/bin:/bin",
    ...over,
  };
}

const launched: Array<{ executor: Executor; runId: string }> = [];

/** Ends every process of the runs launched so far (a failed test leaves none behind). */
export async function sweepLaunched(): Promise<void> {
  for (const { executor, runId } of launched.splice(0)) {
    await executor.run(sweepScript(runId, null)).catch(() => {});
  }
}

/** Starts buildLaunchScript, writes the env header, waits for the exec marker. */
export async function launch(
  executor: Executor,
  w: WrapperInput,
  env: Record<string, string> = {},
): Promise<Launched> {
  launched.push({ executor, runId: w.runId });
  const g = await startGathering(executor, buildLaunchScript(w));
  g.child.stdin.write(envHeader(env));
  await waitFor("the exec marker", async () => {
    if (g.err().toString().includes(`${EXEC_MARKER}\n`)) return true;
    const done = await Promise.race([g.exit.then(() => true), sleep(20).then(() => false)]);
    if (done) throw new Error(`the launch ended early: ${g.err().toString()}`);
    return false;
  });
  const pids = [
    ...g
      .err()
      .toString()
      .matchAll(new RegExp(`^${PID_MARKER}(\\d+)$`, "gm")),
  ].map((m) => Number(m[1]));
  const pgid = pids.at(-1);
  if (pgid === undefined) throw new Error("no pid marker");
  return { ...g, pgid, pids };
}

export async function status(executor: Executor, w: WrapperInput): Promise<RunStatus> {
  const r = await executor.run(statusScript(w.remoteRoot, w.ideaId, w.runId));
  const parsed = parseRunStatus(r.stdout);
  if (!parsed.success) throw new Error(`${parsed.error}\n${r.stdout}\n${r.stderr}`);
  return parsed.data;
}

/** Waits for the run's exit status. */
export async function ended(executor: Executor, w: WrapperInput, timeoutMs = 15_000) {
  return waitFor(
    "the run's end",
    async () => {
      const s = await status(executor, w);
      return s.folder && s.exit !== null ? s : null;
    },
    timeoutMs,
  );
}

export async function follow(
  executor: Executor,
  w: WrapperInput,
  from = { out: 0, err: 0 },
): Promise<Gathered> {
  return startGathering(executor, followScript(w.remoteRoot, w.ideaId, w.runId, from));
}

export async function input(executor: Executor, w: WrapperInput): Promise<Gathered> {
  return startGathering(executor, inputScript(w.remoteRoot, w.ideaId, w.runId));
}

export const runDir = (w: WrapperInput) => join(w.remoteRoot, "ideas", w.ideaId, "runs", w.runId);

/** Lines of out.ndjson of a given type. */
export function linesOfType(out: Buffer | string, type: string): unknown[] {
  return out
    .toString()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l): unknown => JSON.parse(l))
    .filter((o) => typeof o === "object" && o !== null && "type" in o && o.type === type);
}

/** Pids of live processes on this machine (the sshd is on loopback) carrying the run's marker. */
export async function markedPids(executor: Executor, runId: string): Promise<number[]> {
  const r = await executor.run(
    `for f in $(grep -lzx 'CATALYST_RUN_ID=${runId}' /proc/[0-9]*/environ 2>/dev/null); do p=\${f#/proc/}; p=\${p%/environ}; case "$(ps -o stat= -p "$p" 2>/dev/null)" in Z*|"") ;; *) echo "$p";; esac; done`,
  );
  return r.stdout
    .split("\n")
    .filter((l) => l !== "")
    .map(Number);
}

const resultLine = z.looseObject({ type: z.literal("result"), result: z.string() });

/** The `result` texts of out.ndjson, in order. */
export function results(out: Buffer | string): string[] {
  return linesOfType(out, "result").map((l) => resultLine.parse(l).result);
}

const echoReport = z.looseObject({
  pid: z.number(),
  cwd: z.string(),
  env: z.record(z.string(), z.string()),
});

/** fake-claude's echo-prompt report (its result text). */
export function echoReportOf(out: Buffer | string) {
  const text = results(out)[0];
  if (text === undefined) throw new Error("no result");
  return echoReport.parse(JSON.parse(text));
}
