// attachRun over a fake target: a run an earlier server process started, followed from where its
// transcript stops; its waiting requests, cancel and the inactivity timeout work as before.
import type { PermissionRequestEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { FakeRun, type FakeExecutor } from "./fakes.test-helpers.js";
import type { RunRef } from "./runner.js";
import { finished, setup, spec, stdinLines, tick } from "./run.test-helpers.js";

const TWO =
  '{"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}\n';
const ONE =
  '{"type":"assistant","message":{"id":"m2","role":"assistant","content":[{"type":"text","text":"c"}]}}\n';
const RESULT = '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n';

const request: PermissionRequestEvent = {
  type: "permission_request",
  parentToolUseId: null,
  requestId: "req-1",
  toolName: "Bash",
  displayName: null,
  input: { command: "ls" },
  toolUseId: "toolu_1",
  description: null,
  decisionReason: null,
  suggestions: [],
  alwaysRules: [],
  requiresUserInteraction: false,
};

function ref(over: Partial<RunRef> = {}): RunRef {
  return {
    runId: spec.runId,
    ideaId: spec.ideaId,
    mode: "build",
    startedAt: 1_700_000_000_000 - 60_000,
    resume: { out: { offset: 0, skip: 0 }, err: { offset: 0, skip: 0 } },
    waiting: [],
    ...over,
  };
}

/** A run already going on the fake target, as an earlier server left it. */
function going(executor: FakeExecutor, out: string, lastWriteAgoMs = 0) {
  const run = new FakeRun(spec.runId, executor.clock);
  run.launched = true;
  run.pgid = 88;
  run.out = Buffer.from(out);
  run.lastWriteMs = (executor.clock?.now() ?? 0) - lastWriteAgoMs;
  executor.runs.set(spec.runId, run);
  return run;
}

describe("attachRun", () => {
  it("follows from the resume point: the first line's known events are skipped, then everything after, no run_started", async () => {
    let target!: FakeRun;
    const { executor, events, run, collected } = setup({
      attach: ref({
        resume: { out: { offset: ONE.length, skip: 1 }, err: { offset: 0, skip: 0 } },
      }),
      prepare: (ex) => (target = going(ex, ONE + TWO)),
    });
    for (let i = 0; i < 10; i++) await tick();
    expect(executor.scripts.filter((s) => s.startsWith("#follow"))).toEqual([
      `#follow run_1 ${ONE.length} 0`,
    ]);
    target.stdout.write(ONE + RESULT);
    target.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(events.filter((e) => e.type === "text").map((e) => "text" in e && e.text)).toEqual([
      "b",
      "c",
    ]);
    const b = events.find((e) => e.type === "text");
    expect(b && run.sourceOf(b)).toEqual({ stream: "out", line: ONE.length, index: 1 });
    expect(events.some((e) => e.type === "run_started")).toBe(false);
    // Its duration counts from the run_started the transcript has.
    expect(finished(events)).toMatchObject({ outcome: "completed", durationMs: 60_000 });
  });

  it("its waiting requests can be answered: the answer goes out on an input channel", async () => {
    let target!: FakeRun;
    const { events, run, collected } = setup({
      attach: ref({ waiting: [request] }),
      prepare: (ex) => (target = going(ex, "")),
    });
    for (let i = 0; i < 10; i++) await tick();
    expect(run.answer("req-1", { decision: "allow", scope: "once" }, "user")).toEqual({ ok: true });
    await tick();
    expect(target.written.map((l) => JSON.parse(l) as unknown)).toMatchObject([
      { type: "control_response", response: { request_id: "req-1" } },
    ]);
    expect(events.at(-1)).toMatchObject({ type: "permission_answered", requestId: "req-1" });
    target.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("completed");
  });

  it("cancel after a reattach: the CLI's interrupt on an input channel, then SIGINT to the group the folder names", async () => {
    let target!: FakeRun;
    const { executor, clock, events, run, collected } = setup({
      attach: ref(),
      prepare: (ex) => (target = going(ex, "")),
    });
    for (let i = 0; i < 10; i++) await tick();
    run.cancel();
    await tick();
    expect(stdinLines({ ...target, written: ["", ...target.written] } as FakeRun)).toMatchObject([
      { type: "control_request", request: { subtype: "interrupt" } },
    ]);
    clock.advance(1_000);
    expect(executor.sideCommands).toEqual(["kill -INT -88 2>/dev/null"]);
    clock.advance(1_000);
    expect(executor.sideCommands[1]).toBe("kill -KILL -88 2>/dev/null");
    target.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    expect(finished(events)).toMatchObject({ outcome: "cancelled" });
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
  });

  it("counts the inactivity timeout from the last write to the run's files, from before the attach", async () => {
    let target!: FakeRun;
    const { clock, events, collected } = setup({
      attach: ref(),
      // Silent for 9 s of its 10 s already.
      prepare: (ex) => (target = going(ex, "", 9_000)),
    });
    for (let i = 0; i < 10; i++) await tick();
    clock.advance(999);
    await tick();
    expect(target.written).toEqual([]);
    clock.advance(1);
    await tick();
    expect(target.written.map((l) => JSON.parse(l) as unknown)).toMatchObject([
      { type: "control_request", request: { subtype: "interrupt" } },
    ]);
    target.stdout.write('{"type":"result","subtype":"error_during_execution","is_error":true}\n');
    await tick();
    target.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("timed_out");
  });

  it("does not take the line it reads again at the resume point for new output: the silence still counts from the last write", async () => {
    let target!: FakeRun;
    const { clock, events, collected } = setup({
      // The transcript holds the line's first event; the follower starts at that line again.
      attach: ref({ resume: { out: { offset: 0, skip: 1 }, err: { offset: 0, skip: 0 } } }),
      prepare: (ex) => (target = going(ex, ONE, 9_000)),
    });
    for (let i = 0; i < 10; i++) await tick();
    clock.advance(1_000);
    await tick();
    expect(target.written.map((l) => JSON.parse(l) as unknown)).toMatchObject([
      { type: "control_request", request: { subtype: "interrupt" } },
    ]);
    target.stdout.write('{"type":"result","subtype":"error_during_execution","is_error":true}\n');
    await tick();
    target.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("timed_out");
  });

  it("a run whose folder is gone (or that never started) ends disconnected with one plain run_finished, no notice; what carries its marker is swept", async () => {
    const { executor, events, collected } = setup({ attach: ref() });
    await collected;
    expect(events.map((e) => e.type)).toEqual(["run_finished"]);
    expect(finished(events)).toMatchObject({
      outcome: "disconnected",
      message: expect.stringContaining("This run never started on vm, or its folder there is gone"),
    });
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
  });

  it("a run that never started, attached while the target is unreachable: no link_lost/link_restored, one plain end once it answers", async () => {
    const { executor, clock, events, collected } = setup({
      attach: ref(),
      prepare: (ex) => (ex.linkDown = true),
    });
    for (let i = 0; i < 10; i++) await tick();
    clock.advance(250);
    for (let i = 0; i < 10; i++) await tick();
    expect(events).toEqual([]);
    executor.restoreLink();
    clock.advance(1_000);
    await collected;
    expect(events.map((e) => e.type)).toEqual(["run_finished"]);
    expect(finished(events).message).toContain("never started on vm");
  });

  it("a cancel while the target does not answer the attach ends the run cancelled, its sweep owed", async () => {
    const { executor, clock, run, events, collected, owed } = setup({
      attach: ref(),
      prepare: (ex) => (ex.linkDown = true),
    });
    for (let i = 0; i < 10; i++) await tick();
    run.cancel();
    clock.advance(250);
    await collected;
    expect(finished(events).outcome).toBe("cancelled");
    expect(owed.map(([id]) => id)).toContain("run_1");
    expect(executor.linkDown).toBe(true);
  });

  it("a run that ended while no server followed it is collected: its whole output, its real outcome", async () => {
    const { events, collected } = setup({
      attach: ref(),
      prepare: (ex) => {
        const r = going(ex, ONE + RESULT);
        r.end({ code: 0, signal: null, lost: false });
      },
    });
    await collected;
    expect(events.map((e) => e.type)).toEqual(["notice", "text", "result", "run_finished"]);
    // The notice fits: collected after it ended, not "followed again".
    expect(events[0]).toMatchObject({ kind: "run_reattached" });
    expect(events[0] && "message" in events[0] && events[0].message).toContain(
      "it ended while the server was down",
    );
    expect(finished(events).outcome).toBe("completed");
  });

  it("detach stops following and ends the events without run_finished; nothing is stopped or swept", async () => {
    let target!: FakeRun;
    const { executor, events, run, collected } = setup({
      attach: ref(),
      prepare: (ex) => (target = going(ex, "")),
    });
    for (let i = 0; i < 10; i++) await tick();
    run.detach();
    await collected;
    await run.done;
    expect(events.some((e) => e.type === "run_finished")).toBe(false);
    expect(executor.sideCommands).toEqual([]);
    expect(target.stdinEnded).toBe(false);
    expect(executor.children.every((c) => c.detached || c.exited)).toBe(true);
  });

  it("attached while the target is unreachable: followed once it answers, its group learned then, so a cancel reaches it", async () => {
    let target!: FakeRun;
    const { executor, clock, events, run, collected } = setup({
      attach: ref(),
      prepare: (ex) => {
        target = going(ex, ONE);
        ex.linkDown = true;
      },
    });
    for (let i = 0; i < 10; i++) await tick();
    // Nothing is known of the run yet: nothing is said (no link this server had was lost).
    expect(events).toEqual([]);
    executor.restoreLink();
    clock.advance(250);
    for (let i = 0; i < 10; i++) await tick();
    expect(events.map((e) => (e.type === "notice" ? e.kind : e.type))).toEqual([
      "run_reattached",
      "text",
    ]);
    run.cancel();
    await tick();
    clock.advance(1_000);
    expect(executor.sideCommands).toEqual(["kill -INT -88 2>/dev/null"]);
    target.end({ code: 130, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("cancelled");
  });

  it("a result the transcript already holds still closes the input (the server stopped right after it)", async () => {
    let target!: FakeRun;
    const { events, collected } = setup({
      attach: ref({
        resume: { out: { offset: ONE.length, skip: 1 }, err: { offset: 0, skip: 0 } },
      }),
      prepare: (ex) => (target = going(ex, ONE + RESULT)),
    });
    for (let i = 0; i < 10; i++) await tick();
    // Its one message has its result: the end line goes out, the CLI can exit.
    expect(target.stdinEnded).toBe(true);
    expect(events.map((e) => e.type === "notice" && e.kind)).toEqual(["run_reattached"]);
    target.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(events.map((e) => e.type)).toEqual(["notice", "run_finished"]);
    expect(finished(events).outcome).toBe("completed");
  });
});
