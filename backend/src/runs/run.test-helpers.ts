// The harness of the startRun tests: a run over a FakeExecutor and a ManualClock, its events collected.
import type { RunFinishedEvent } from "@catalyst/shared";
import { expect } from "vitest";
import { FakeExecutor, fakeScripts, ManualClock, type FakeRun } from "./fakes.test-helpers.js";
import { attachRun } from "./attach.js";
import { startRun, type RunContext } from "./run.js";
import type { RunOutput, RunRef, RunSpec } from "./runner.js";

export const spec: RunSpec = {
  runId: "run_1",
  ideaId: "abcdefghijklmnopqrstu",
  mode: "chat",
  prompt: "hi 'there' $(id)\n🚀",
  resumeSessionId: null,
};

export function setup(
  opts: {
    startError?: Error;
    spec?: RunSpec;
    lazy?: boolean;
    prepare?: (executor: FakeExecutor) => void;
    loginPath?: RunContext["loginPath"];
    /** Attach to this run (already on the fake target, see `prepare`) instead of starting one. */
    attach?: RunRef;
  } = {},
) {
  const executor = new FakeExecutor();
  executor.startError = opts.startError ?? null;
  const clock = new ManualClock();
  executor.clock = clock;
  opts.prepare?.(executor);
  const owed: Array<[string, number | null]> = [];
  const ctx: RunContext = {
    executor,
    clock,
    scripts: fakeScripts,
    claudeBin: "claude",
    remoteRoot: "~/catalyst",
    buildPermissionMode: "acceptEdits",
    claudeEnv: { ANTHROPIC_API_KEY: "sk-secret" },
    extraArgs: [],
    timeoutMs: 10_000,
    cancelGraceMs: 1_000,
    approvalTimeoutMs: 60_000,
    loginPath: opts.loginPath ?? { get: () => null, set: () => {}, forget: () => {} },
    oweSweep: (id, pgid) => owed.push([id, pgid]),
  };
  const run = opts.attach ? attachRun(ctx, opts.attach) : startRun(ctx, opts.spec ?? spec);
  const events: RunOutput[] = [];
  const collect = async () => {
    for await (const e of run.events) events.push(e);
  };
  const collected = opts.lazy ? Promise.resolve() : collect();
  return { executor, clock, run, events, collected, owed, collect };
}

export const tick = () => new Promise((r) => setTimeout(r, 0));
/** The run on the fake target, once its launch channel is up (the test plays its CLI). */
export async function childOf(executor: FakeExecutor, runId = spec.runId): Promise<FakeRun> {
  for (let i = 0; i < 50 && !executor.runs.has(runId); i++) await tick();
  const run = executor.runs.get(runId);
  if (!run) throw new Error("the run never started its process");
  return run;
}
export function finished(events: RunOutput[]): RunFinishedEvent {
  const f = events.filter((e): e is RunFinishedEvent => e.type === "run_finished");
  expect(f).toHaveLength(1);
  const last = events.at(-1);
  if (last?.type !== "run_finished" || last !== f[0]) throw new Error("run_finished is not last");
  return last;
}

/** The live session's lines that reached the run's input so far (after the env header), parsed. */
export function stdinLines(child: FakeRun): unknown[] {
  const afterHeader = child.written.slice(child.written.indexOf("") + 1);
  return afterHeader.map((l) => JSON.parse(l) as unknown);
}
