import { describe, expect, it } from "vitest";
import { unreachable } from "./fakes.test-helpers.js";
import { childOf, finished, setup, stdinLines, tick } from "./run.test-helpers.js";

describe("startRun: timeout, cancel, a dropped link", () => {
  it("times out after CLAUDE_TIMEOUT_MS without output (interrupt, then SIGINT, then SIGKILL); output resets the clock", async () => {
    const { executor, clock, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=77\n");
    await tick();
    clock.advance(9_000);
    child.stdout.write('{"type":"system","subtype":"status"}\n');
    await tick();
    clock.advance(9_000);
    expect(stdinLines(child)).toHaveLength(1);
    clock.advance(1_000);
    // The CLI's own interrupt first; it does not end the run within the grace period: SIGINT.
    expect(stdinLines(child)[1]).toMatchObject({
      type: "control_request",
      request: { subtype: "interrupt" },
    });
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

  it("cancels with the CLI's interrupt: its result closes the input, and no signal is sent", async () => {
    const { executor, clock, run, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=55\n");
    await tick();
    run.cancel();
    run.cancel();
    await tick();
    const interrupts = stdinLines(child).filter(
      (l) => (l as { type?: string }).type === "control_request",
    );
    expect(interrupts).toEqual([
      {
        type: "control_request",
        request_id: "catalyst-interrupt-1",
        request: { subtype: "interrupt" },
      },
    ]);
    clock.advance(900); // it stops within the grace period (1 s)
    child.stdout.write(
      '{"type":"control_response","response":{"subtype":"success","request_id":"catalyst-interrupt-1"}}\n',
    );
    child.stdout.write('{"type":"result","subtype":"error_during_execution","is_error":true}\n');
    await tick();
    expect(child.stdinEnded).toBe(true);
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    clock.advance(5_000);
    expect(executor.sideCommands.filter((s) => s.includes("-INT"))).toEqual([]);
    // One SIGKILL command only: the sweep every run gets after its end, not the grace period's.
    const kills = executor.sideCommands.filter((s) => s.includes("KILL"));
    expect(kills).toHaveLength(1);
    expect(kills[0]).toContain("CATALYST_RUN_ID=run_1");
    expect(finished(events)).toMatchObject({ outcome: "cancelled", exitCode: 1 });
  });

  it("a cancel the CLI refuses goes straight to SIGINT", async () => {
    const { executor, run, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=56\n");
    await tick();
    run.cancel();
    child.stdout.write(
      '{"type":"control_response","response":{"subtype":"error","request_id":"catalyst-interrupt-1","error":"no"}}\n',
    );
    await tick();
    expect(executor.sideCommands).toEqual(["kill -INT -56 2>/dev/null"]);
    child.end({ code: 130, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("cancelled");
  });

  it("a cancel before the group is known: SIGINT once it is (after the interrupt's grace), SIGKILL a grace period after that", async () => {
    const { executor, clock, run, events, collected } = setup();
    const child = await childOf(executor);
    run.cancel();
    clock.advance(500);
    child.stderr.write("__CATALYST_PID__=66\n");
    await tick();
    expect(executor.sideCommands).toEqual([]);
    clock.advance(500);
    expect(executor.sideCommands).toEqual(["kill -INT -66 2>/dev/null"]);
    clock.advance(600);
    expect(executor.sideCommands).toHaveLength(1);
    clock.advance(400);
    expect(executor.sideCommands[1]).toContain("kill -KILL -66");
    child.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    expect(finished(events).outcome).toBe("cancelled");
  });

  it("reports a completed run as completed when cancel arrives after the exit, and signals nothing", async () => {
    const { executor, events, run, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=44\n");
    await tick();
    child.end({ code: 0, signal: null, lost: false });
    await tick();
    run.cancel();
    await collected;
    expect(finished(events).outcome).toBe("completed");
    expect(executor.sideCommands.filter((c) => c.includes("-INT"))).toEqual([]);
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

  it("a cancel while the link is down ends the run cancelled after the grace periods, and owes the sweep", async () => {
    const { executor, clock, run, events, collected, owed } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=99\n");
    await tick();
    executor.dropLink();
    await tick();
    run.cancel();
    // The interrupt waits for a channel; after its grace the SIGINT cannot be sent either.
    clock.advance(1_000);
    await tick();
    clock.advance(1_000);
    await collected;
    expect(finished(events)).toMatchObject({ outcome: "cancelled" });
    expect(owed).toContainEqual(["run_1", 99]);
  });
});
