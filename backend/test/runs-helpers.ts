// Shared pieces of the runs integration tests: settings, collecting a run, checking the target.
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RunFinishedEvent, RunMode } from "@catalyst/shared";
import { nanoid } from "nanoid";
import { z } from "zod";
import type { Executor } from "../src/exec/executor.js";
import { aliveScript } from "../src/runs/kill-scripts.js";
import type { RunSettings } from "../src/runs/run.js";
import type { RunHandle, RunOutput, RunSpec } from "../src/runs/runner.js";

export const FAKE_CLAUDE = resolve(import.meta.dirname, "../../scripts/fake-claude");

export function testSettings(overrides: Partial<RunSettings> = {}): RunSettings {
  return {
    claudeBin: FAKE_CLAUDE,
    remoteRoot: mkdtempSync(join(tmpdir(), "catalyst-runs-")),
    buildPermissionMode: "acceptEdits",
    claudeEnv: { ANTHROPIC_BASE_URL: "http://127.0.0.1:9/with space's" },
    extraArgs: [],
    timeoutMs: 30_000,
    // Long enough for a loaded CI machine to handle SIGINT; tests of the SIGKILL path set it low.
    cancelGraceMs: 3000,
    approvalTimeoutMs: 60_000,
    // A run a test leaves behind (a failed test) ends on its own soon; followed runs are touched
    // every minute.
    orphanTimeoutMs: 180_000,
    ...overrides,
  };
}

export function spec(prompt: string, more: Partial<RunSpec> = {}): RunSpec {
  return {
    runId: nanoid(),
    ideaId: nanoid(),
    mode: "chat" as RunMode,
    prompt,
    resumeSessionId: null,
    ...more,
  };
}

export async function collect(
  handle: RunHandle,
): Promise<{ events: RunOutput[]; finished: RunFinishedEvent }> {
  const events: RunOutput[] = [];
  for await (const e of handle.events) events.push(e);
  const finished = events.filter((e): e is RunFinishedEvent => e.type === "run_finished");
  const last = finished[0];
  if (
    finished.length !== 1 ||
    !last ||
    events.at(-1) !== last ||
    events[0]?.type !== "run_started"
  ) {
    throw new Error(
      `a run must yield run_started ... one run_finished, got ${events.map((e) => e.type).join(",")}`,
    );
  }
  return { events, finished: last };
}

/** Waits until the run's first decoded event (the CLI is up), then returns. */
export async function firstEvent(handle: RunHandle, type: RunOutput["type"]): Promise<RunOutput[]> {
  const seen: RunOutput[] = [];
  const it = handle.events[Symbol.asyncIterator]();
  for (;;) {
    const next = await it.next();
    if (next.done) throw new Error(`the run ended before a ${type} event`);
    seen.push(next.value);
    if (next.value.type === type) return seen;
  }
}

const echoSchema = z.looseObject({
  stdinBytes: z.number(),
  stdinSha256: z.string(),
  argv: z.array(z.string()),
  cwd: z.string(),
  sessionId: z.string(),
  env: z.record(z.string(), z.string()),
  pid: z.number(),
});
export type EchoReport = z.infer<typeof echoSchema>;

/** The `echo-prompt` scenario's report, from its text (or the result, which repeats it). */
export function echoReport(events: RunOutput[]): EchoReport {
  for (const e of events) {
    const text = e.type === "text" || e.type === "result" ? e.text : null;
    if (text?.startsWith('{"promptBytes"')) return echoSchema.parse(JSON.parse(text));
  }
  throw new Error("no echo-prompt report");
}

const childrenSchema = z.object({
  children: z.array(z.object({ pid: z.number(), ownSession: z.boolean() })),
});

/** Pids the `child` scenario started, from its text event. */
export function childPids(events: RunOutput[]): number[] {
  for (const e of events) {
    if (e.type !== "text" || !e.text.startsWith('{"children"')) continue;
    return childrenSchema.parse(JSON.parse(e.text)).children.map((c) => c.pid);
  }
  throw new Error("no children report");
}

/** Pids among `pids` that are alive (not zombies) on the target, checked with ps there. */
export async function alivePids(executor: Executor, pids: number[]): Promise<number[]> {
  const r = await executor.run(
    `ps -o pid=,stat= -p ${pids.map((p) => String(Math.trunc(p))).join(",")} || true`,
  );
  return r.stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter(([pid, stat]) => pid && stat && !stat.startsWith("Z"))
    .map(([pid]) => Number(pid));
}

/** Whether any live process on the target still carries the run's marker in its environment. */
export async function markerAlive(executor: Executor, runId: string): Promise<boolean> {
  return (await executor.run(aliveScript(runId, null))).code === 0;
}

/**
 * Reads every process's command line on this machine (the sshd of the tests is on loopback, so
 * this covers both executors) until `stop()`: which ones held `needle`, and whether a run's
 * wrapper script (local `sh -c` or the base64 SSH command) was seen at all.
 */
export function watchCommandLines(needle: string): {
  stop(): Promise<{ holders: string[]; sawWrapper: boolean }>;
} {
  const holders = new Set<string>();
  let sawWrapper = false;
  let watching = true;
  const scan = () => {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      } catch {
        continue; // Gone meanwhile.
      }
      if (cmd.includes(needle)) holders.add(cmd.slice(0, 200));
      if (cmd.includes("__CATALYST_PID__") || cmd.includes("| base64 -d)")) sawWrapper = true;
    }
  };
  const loop = (async () => {
    while (watching) {
      scan();
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return { holders: [...holders], sawWrapper };
    },
  };
}

/** How the fake CLI's echo-prompt shows a secret's value (scripts/fake-claude-lib secretHash). */
export function secretHash(value: string): string {
  return `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 16)}`;
}
