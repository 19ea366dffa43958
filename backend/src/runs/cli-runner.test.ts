import { describe, expect, it } from "vitest";
import { createCliRunner } from "./cli-runner.js";
import { FakeExecutor, ManualClock, unreachable } from "./fakes.test-helpers.js";
import type { RunHandle } from "./runner.js";
import type { OwedSweep, SweepLedger } from "./sweep-ledger.js";

const settings = {
  claudeBin: "claude",
  remoteRoot: "~/catalyst",
  buildPermissionMode: "acceptEdits",
  claudeEnv: {},
  extraArgs: [],
  timeoutMs: 10_000,
  cancelGraceMs: 1_000,
  approvalTimeoutMs: 60_000,
};
const spec = (runId: string) => ({
  runId,
  ideaId: "abcdefghijklmnopqrstu",
  mode: "chat" as const,
  prompt: "hi",
  resumeSessionId: null,
});
const drain = async (h: RunHandle) => {
  for await (const _ of h.events);
};
const tick = () => new Promise((r) => setTimeout(r, 0));
async function nthChild(executor: FakeExecutor, n: number) {
  for (let i = 0; i < 50 && executor.children.length <= n; i++) await tick();
  const child = executor.children[n];
  if (!child) throw new Error("no child");
  return child;
}

describe("createCliRunner", () => {
  it("learns the login PATH from the first run and reuses it", async () => {
    const executor = new FakeExecutor();
    const runner = createCliRunner({ ...settings, executor, clock: new ManualClock() });
    const one = runner.start(spec("r1"));
    const c1 = await nthChild(executor, 0);
    c1.stderr.write("__CATALYST_LOGIN_PATH__=/home/u/.nvm/bin:/usr/bin\n__CATALYST_PID__=10\n");
    await tick();
    c1.end({ code: 0, signal: null, lost: false });
    await drain(one);
    expect(executor.scripts[0]).toContain("-lc");

    const two = runner.start(spec("r2"));
    (await nthChild(executor, 1)).end({ code: 0, signal: null, lost: false });
    await drain(two);
    expect(executor.scripts[1]).not.toContain("-lc");
    expect(executor.scripts[1]).toContain("PATH='/home/u/.nvm/bin:/usr/bin'; export PATH");
  });

  it("keeps a sweep owed after a dropped link and pays it on the next use", async () => {
    const executor = new FakeExecutor();
    const runner = createCliRunner({ ...settings, executor, clock: new ManualClock() });
    const one = runner.start(spec("r1"));
    const c1 = await nthChild(executor, 0);
    c1.stderr.write("__CATALYST_PID__=10\n");
    await tick();
    c1.end({ code: null, signal: null, lost: true });
    await drain(one);
    expect(runner.owedSweeps()).toBe(1);

    executor.sideError = unreachable();
    await runner.flushSweeps();
    expect(runner.owedSweeps()).toBe(1);

    executor.sideError = null;
    await runner.flushSweeps();
    expect(runner.owedSweeps()).toBe(0);
    // Long after the run, its group id may be someone else's: killed only if still the run's.
    expect(executor.sideCommands.at(-1)).toContain("then kill -KILL -10");
    expect(executor.sideCommands.at(-1)).not.toMatch(/^kill -KILL -10/);
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=r1");
  });

  it("starts nothing once closed: the run ends failed at once", async () => {
    const executor = new FakeExecutor();
    const runner = createCliRunner({ ...settings, executor, clock: new ManualClock() });
    await runner.close();
    const events = [];
    for await (const e of runner.start(spec("late")).events) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", outcome: "failed" });
    expect(executor.scripts).toEqual([]);
  });

  it("retries an owed sweep in the background, backing off while the target is away", async () => {
    const executor = new FakeExecutor();
    const clock = new ManualClock();
    const runner = createCliRunner({ ...settings, executor, clock });
    const one = runner.start(spec("r1"));
    const c1 = await nthChild(executor, 0);
    executor.sideError = unreachable();
    c1.end({ code: null, signal: null, lost: true });
    await drain(one);
    const sweeps = () =>
      executor.sideCommands.filter((c) => c.includes("CATALYST_RUN_ID=r1")).length;
    expect(sweeps()).toBe(0);
    clock.advance(1_000);
    await tick();
    expect(sweeps()).toBe(1);
    clock.advance(4_000);
    await tick();
    expect(sweeps()).toBe(1); // backed off to 5 s
    clock.advance(1_000);
    await tick();
    expect(sweeps()).toBe(2);
    executor.sideError = null;
    clock.advance(15_000);
    await tick();
    expect(sweeps()).toBe(3);
    expect(runner.owedSweeps()).toBe(0);
    clock.advance(600_000);
    await tick();
    expect(sweeps()).toBe(3);
  });

  it("sweeps a run it never started by its marker (start-up recovery), owing it while unreachable", async () => {
    const executor = new FakeExecutor();
    const clock = new ManualClock();
    const runner = createCliRunner({ ...settings, executor, clock });
    executor.sideError = unreachable();
    await runner.sweep("run-before-crash");
    expect(runner.owedSweeps()).toBe(1);
    executor.sideError = null;
    clock.advance(1_000);
    await tick();
    await runner.flushSweeps();
    expect(runner.owedSweeps()).toBe(0);
    const sweep = executor.sideCommands.at(-1) ?? "";
    expect(sweep).toContain("grep -lzx 'CATALYST_RUN_ID=run-before-crash'");
    // No process group is known after a restart: only the marker is used.
    expect(sweep).not.toMatch(/kill -KILL -\d/);
    await runner.sweep("not a run id; rm -rf /");
    expect(executor.sideCommands.some((c) => c.includes("rm -rf"))).toBe(false);
  });

  it("keeps owed sweeps in its ledger, so the next process pays what this one could not", async () => {
    const saved: OwedSweep[][] = [];
    const ledger: SweepLedger = {
      load: async () => saved.at(-1) ?? [],
      save: async (owed) => void saved.push([...owed]),
    };
    const executor = new FakeExecutor();
    executor.sideError = unreachable();
    const before = createCliRunner({ ...settings, executor, clock: new ManualClock(), ledger });
    const one = before.start(spec("r1"));
    const c1 = await nthChild(executor, 0);
    c1.stderr.write("__CATALYST_PID__=10\n");
    await tick();
    c1.end({ code: null, signal: null, lost: true });
    await drain(one);
    expect(saved.at(-1)).toEqual([{ runId: "r1", pgid: 10 }]);

    // The server stops before the target is back; the next one starts with the ledger.
    const next = new FakeExecutor();
    const after = createCliRunner({
      ...settings,
      executor: next,
      clock: new ManualClock(),
      ledger,
    });
    await after.flushSweeps();
    expect(next.sideCommands).toHaveLength(1);
    expect(next.sideCommands[0]).toContain("CATALYST_RUN_ID=r1");
    expect(after.owedSweeps()).toBe(0);
    expect(saved.at(-1)).toEqual([]);
  });
});
