import type { RunFinishedEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { FakeExecutor, ManualClock, unreachable } from "./fakes.test-helpers.js";
import { startRun, type RunContext } from "./run.js";
import type { RunOutput, RunSpec } from "./runner.js";

const spec: RunSpec = {
  runId: "run_1",
  ideaId: "abcdefghijklmnopqrstu",
  mode: "chat",
  prompt: "hi 'there' $(id)\n🚀",
  resumeSessionId: null,
};

function setup(
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

const tick = () => new Promise((r) => setTimeout(r, 0));
async function childOf(executor: FakeExecutor) {
  for (let i = 0; i < 50 && executor.children.length === 0; i++) await tick();
  const child = executor.children[0];
  if (!child) throw new Error("the run never started its process");
  return child;
}
function finished(events: RunOutput[]): RunFinishedEvent {
  const f = events.filter((e) => e.type === "run_finished");
  expect(f).toHaveLength(1);
  expect(events.at(-1)).toBe(f[0]);
  return f[0] as RunFinishedEvent;
}

describe("startRun", () => {
  it("writes CLAUDE_ENV then the prompt to stdin, decodes stdout, strips the pid marker, completes once", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    // The secret travels on stdin only: the script (an argv on the target) does not hold it.
    expect(await child.stdinText).toBe(`ANTHROPIC_API_KEY=c2stc2VjcmV0\n\n${spec.prompt}`);
    expect([...executor.scripts, ...executor.sideCommands].join("\n")).not.toContain("sk-secret");
    child.stderr.write("__CATALYST_PID__=321\nreal stderr\n");
    child.stdout.write('{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n');
    await tick();
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(events[0]?.type).toBe("run_started");
    expect(events.map((e) => e.type).sort()).toEqual([
      "result",
      "run_finished",
      "run_started",
      "stderr",
    ]);
    expect(events.find((e) => e.type === "stderr")).toMatchObject({ text: "real stderr" });
    expect(finished(events)).toMatchObject({ outcome: "completed", exitCode: 0, message: null });
    // Leftovers of the group and of the run marker are swept after every end.
    expect(executor.sideCommands.at(-1)).toContain("kill -KILL -321");
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
  });

  it("times out after CLAUDE_TIMEOUT_MS without output; output resets the clock", async () => {
    const { executor, clock, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=77\n");
    await tick();
    clock.advance(9_000);
    child.stdout.write('{"type":"system","subtype":"status"}\n');
    await tick();
    clock.advance(9_000);
    expect(executor.sideCommands).toEqual([]);
    clock.advance(1_000);
    expect(executor.sideCommands).toEqual(["kill -INT -77 2>/dev/null"]);
    // It ignores SIGINT: after the grace period the group and marker sweep kill it.
    clock.advance(1_000);
    expect(executor.sideCommands[1]).toContain("kill -KILL -77");
    child.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    const f = finished(events);
    expect(f.outcome).toBe("timed_out");
    expect(f.message).toContain("10 s");
  });

  it("cancels: SIGINT to the group, no SIGKILL when it stops within the grace period", async () => {
    const { executor, clock, run, events, collected } = setup();
    const child = await childOf(executor);
    run.cancel();
    run.cancel();
    expect(executor.sideCommands).toEqual([]);
    child.stderr.write("__CATALYST_PID__=55\n");
    await tick();
    expect(executor.sideCommands).toEqual(["kill -INT -55 2>/dev/null"]);
    child.stdout.write('{"type":"result","subtype":"error_during_execution","is_error":true}\n');
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    clock.advance(5_000);
    expect(executor.sideCommands.filter((s) => s.includes("-INT"))).toHaveLength(1);
    expect(finished(events)).toMatchObject({ outcome: "cancelled", exitCode: 0 });
  });

  it("a cancel before the group is known: SIGINT once it is, SIGKILL only a grace period after that", async () => {
    const { executor, clock, run, events, collected } = setup();
    const child = await childOf(executor);
    run.cancel();
    clock.advance(500);
    child.stderr.write("__CATALYST_PID__=66\n");
    await tick();
    expect(executor.sideCommands).toEqual(["kill -INT -66 2>/dev/null"]);
    clock.advance(600);
    expect(executor.sideCommands).toHaveLength(1);
    clock.advance(400);
    expect(executor.sideCommands[1]).toContain("kill -KILL -66");
    child.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    expect(finished(events).outcome).toBe("cancelled");
  });

  it("pauses the output while the reader lags, resumes when it catches up, and never times out meanwhile", async () => {
    const { executor, clock, events, collect } = setup({ lazy: true });
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=5\n");
    const line = '{"type":"system","subtype":"status"}\n';
    for (let i = 0; i < 3000; i++) child.stdout.write(line);
    for (let i = 0; i < 20 && !child.stdout.isPaused(); i++) await tick();
    expect(child.stdout.isPaused()).toBe(true);
    clock.advance(60_000);
    expect(executor.sideCommands).toEqual([]);
    const reading = collect();
    for (let i = 0; i < 50 && child.stdout.isPaused(); i++) await tick();
    expect(child.stdout.isPaused()).toBe(false);
    child.end({ code: 0, signal: null, lost: false });
    await reading;
    expect(events.filter((e) => e.type === "notice" || e.type === "unknown")).toHaveLength(3000);
    expect(finished(events).outcome).toBe("completed");
  });

  it("holds back a flood on stderr too while the reader lags (memory stays bounded)", async () => {
    const { executor, events, collect } = setup({ lazy: true });
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=5\n");
    for (let i = 0; i < 3000; i++) child.stderr.write(`warning ${i}\n`);
    for (let i = 0; i < 20 && !child.stderr.isPaused(); i++) await tick();
    expect(child.stderr.isPaused()).toBe(true);
    const reading = collect();
    for (let i = 0; i < 50 && child.stderr.isPaused(); i++) await tick();
    expect(child.stderr.isPaused()).toBe(false);
    child.end({ code: 0, signal: null, lost: false });
    await reading;
    expect(events.filter((e) => e.type === "stderr")).toHaveLength(3000);
  });

  it("keeps the stderr tail short: a huge line is cut", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write(`__CATALYST_PID__=5\n${"x".repeat(100_000)}\n`);
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    const tail = finished(events).stderrTail;
    expect(tail).toHaveLength(1);
    expect(tail[0]?.length).toBeLessThanOrEqual(2001);
  });

  it("reports a completed run as completed when cancel arrives after the exit, and signals nothing", async () => {
    const { executor, events, run, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=44\n");
    await tick();
    child.exitOnly({ code: 0, signal: null, lost: false });
    await tick();
    run.cancel();
    child.close();
    await collected;
    expect(finished(events).outcome).toBe("completed");
    expect(executor.sideCommands.filter((c) => c.includes("-INT"))).toEqual([]);
  });

  it("survives a throw inside its output handling: kills the process, ends failed once", async () => {
    const { executor, events, collected } = setup({
      loginPath: {
        get: () => null,
        set: () => {
          throw new Error("boom in a listener");
        },
        forget: () => {},
      },
    });
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_LOGIN_PATH__=/usr/bin\n");
    for (let i = 0; i < 20 && executor.sideCommands.length === 0; i++) await tick();
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
    child.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Internal error: boom in a listener",
    });
  });

  it("kills the process when the run loop itself throws after the start", async () => {
    const { executor, events, collected } = setup({
      prepare: (ex) =>
        (ex.onStart = (c) => {
          c.stdin.end = () => {
            throw new Error("stdin broke");
          };
          c.stderr.write("__CATALYST_PID__=8\n");
        }),
    });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Internal error: stdin broke",
    });
    expect(executor.sideCommands.some((c) => c.includes("CATALYST_RUN_ID=run_1"))).toBe(true);
    expect(executor.children[0]?.detached).toBe(true);
  });

  it("ends as disconnected when the link drops, and owes a sweep for later", async () => {
    const { executor, events, collected, owed } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=99\n");
    await tick();
    child.end({ code: null, signal: null, lost: true });
    await collected;
    expect(finished(events)).toMatchObject({ outcome: "disconnected", exitCode: null });
    expect(owed).toEqual([["run_1", 99]]);
  });

  it("says plainly that the CLI is missing", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_NO_CLI__\n");
    await tick();
    child.end({ code: 127, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      exitCode: 127,
      message: "claude not found on vm: install it or set CLAUDE_BIN",
    });
  });

  it("fails with the exit code and the last stderr lines", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\nNo conversation found with session ID: x\n");
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    const f = finished(events);
    expect(f.outcome).toBe("failed");
    expect(f.message).toBe(
      "Claude Code exited with code 1: No conversation found with session ID: x",
    );
    expect(f.stderrTail).toEqual(["No conversation found with session ID: x"]);
  });

  it("uses the CLI's error result as the message when the model call failed (empty stderr)", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\n");
    child.stdout.write(
      '{"type":"result","subtype":"success","is_error":true,"result":"API Error: 500 Internal server error"}\n',
    );
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      exitCode: 1,
      message: "Claude Code failed: API Error: 500 Internal server error",
    });
  });

  it("describes an error result that has no text by its subtype (max turns)", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\n");
    child.stdout.write(
      '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":5,"session_id":"s"}\n',
    );
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Claude Code failed: Claude stopped after reaching the maximum number of turns (5).",
    });
  });

  it("turns an unreachable target into a failed run with the executor's message", async () => {
    const { events, collected } = setup({ startError: unreachable() });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Cannot reach vm:22: connect ECONNREFUSED",
    });
  });

  it("ends cancelled, not failed, when cancelled while connecting and the connection then fails", async () => {
    const { run, events, collected } = setup({ startError: unreachable() });
    run.cancel();
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "cancelled",
      message: "Stopped on request.",
    });
  });

  it("refuses a hostile idea id before anything runs", async () => {
    const { executor, events, collected } = setup({ spec: { ...spec, ideaId: "../../etc" } });
    await collected;
    expect(finished(events).outcome).toBe("failed");
    expect(executor.scripts).toEqual([]);
  });
});
