// The harness of the startRun tests: a run over a FakeExecutor and a ManualClock, its events collected.
import type { RunFinishedEvent } from "@catalyst/shared";
import { expect } from "vitest";
import { FakeExecutor, ManualClock, type FakeChild } from "./fakes.test-helpers.js";
import { startRun, type RunContext } from "./run.js";
import type { RunOutput, RunSpec } from "./runner.js";

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
  } = {},
) {
  const executor = new FakeExecutor();
  executor.startError = opts.startError ?? null;
  opts.prepare?.(executor);
  const clock = new ManualClock();
  const owed: Array<[string, number | null]> = [];
  const ctx: RunContext = {
    executor,
    clock,
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
  const run = startRun(ctx, opts.spec ?? spec);
  const events: RunOutput[] = [];
  const collect = async () => {
    for await (const e of run.events) events.push(e);
  };
  const collected = opts.lazy ? Promise.resolve() : collect();
  return { executor, clock, run, events, collected, owed, collect };
}

export const tick = () => new Promise((r) => setTimeout(r, 0));
export async function childOf(executor: FakeExecutor) {
  for (let i = 0; i < 50 && executor.children.length === 0; i++) await tick();
  const child = executor.children[0];
  if (!child) throw new Error("the run never started its process");
  return child;
}
export function finished(events: RunOutput[]): RunFinishedEvent {
  const f = events.filter((e): e is RunFinishedEvent => e.type === "run_finished");
  expect(f).toHaveLength(1);
  const last = events.at(-1);
  if (last?.type !== "run_finished" || last !== f[0]) throw new Error("run_finished is not last");
  return last;
}

/** The live session's lines the run wrote to the child's stdin so far (after the env header), parsed. */
export function stdinLines(child: FakeChild): unknown[] {
  const afterHeader = child.written.slice(child.written.indexOf("") + 1);
  return afterHeader.map((l) => JSON.parse(l) as unknown);
}
