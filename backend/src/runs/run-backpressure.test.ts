import { describe, expect, it } from "vitest";
import { childOf, finished, setup, tick } from "./run.test-helpers.js";

describe("startRun: a slow reader and big output", () => {
  it("pauses the output while the reader lags, resumes when it catches up, and never times out meanwhile", async () => {
    const { executor, clock, events, collect } = setup({ lazy: true });
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=5\n");
    const line = '{"type":"system","subtype":"status"}\n';
    for (let i = 0; i < 3000; i++) child.stdout.write(line);
    for (let i = 0; i < 20 && !child.followPaused(); i++) await tick();
    expect(child.followPaused()).toBe(true);
    clock.advance(60_000);
    expect(executor.sideCommands).toEqual([]);
    const reading = collect();
    for (let i = 0; i < 50 && child.followPaused(); i++) await tick();
    expect(child.followPaused()).toBe(false);
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
    for (let i = 0; i < 20 && !child.followPaused(); i++) await tick();
    expect(child.followPaused()).toBe(true);
    const reading = collect();
    for (let i = 0; i < 50 && child.followPaused(); i++) await tick();
    expect(child.followPaused()).toBe(false);
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
});
