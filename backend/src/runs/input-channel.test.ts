import { describe, expect, it } from "vitest";
import {
  FakeChild,
  FakeExecutor,
  FakeRun,
  ManualClock,
  unreachable,
} from "./fakes.test-helpers.js";
import { keepInputChannel } from "./input-channel.js";
import { INPUT_ACK, relayInput } from "./run-input.js";

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const executor = new FakeExecutor();
  const clock = new ManualClock();
  const run = new FakeRun("run_1", null);
  executor.runs.set("run_1", run);
  const input = relayInput("#END");
  let down = false;
  const resent: number[] = [];
  const channel = keepInputChannel({
    executor,
    clock,
    input,
    script: () => "#input run_1",
    linkDown: () => down,
    resending: (n) => resent.push(n),
  });
  return { executor, clock, input, channel, run, resent, setDown: (v: boolean) => (down = v) };
}

const ack = (c: FakeChild, n: number) => c.stdout.write(Buffer.alloc(n, INPUT_ACK));

describe("keepInputChannel", () => {
  it("a relay that dropped is replaced by an input script's channel; lines written meanwhile go first, in order", async () => {
    const { executor, input, channel, run, resent } = setup();
    const launch = new FakeChild();
    channel.use(launch);
    input.send("confirmed");
    ack(launch, 1);
    await tick();
    input.send("a");
    launch.end({ code: null, signal: null, lost: true });
    await tick();
    // Known to be dropped: from now on lines wait. One written in the instant before (its relay
    // never confirmed it) may have gone nowhere: it goes again, first.
    input.send("b");
    for (let i = 0; i < 5; i++) await tick();
    expect(executor.scripts).toEqual(["#input run_1"]);
    input.send("c");
    input.end();
    await tick();
    expect(launch.written).toEqual(["confirmed", "a"]);
    // The run's input: what the input script relayed, the end line closing it.
    expect(run.written).toEqual(["a", "b", "c"]);
    expect(resent).toEqual([1]);
    expect(run.stdinEnded).toBe(true);
    expect(input.closed).toBe(true);
  });

  it("an end line the dropped relay never confirmed goes again: the input is not closed until it arrives", async () => {
    const { input, channel, run, resent } = setup();
    const launch = new FakeChild();
    channel.use(launch);
    input.send("a");
    ack(launch, 1);
    input.end();
    await tick();
    expect(input.closed).toBe(true);
    channel.drop();
    expect(input.closed).toBe(false);
    expect(resent).toEqual([1]);
    channel.reopen();
    for (let i = 0; i < 5; i++) await tick();
    expect(run.written).toEqual([]);
    expect(run.stdinEnded).toBe(true);
    expect(input.closed).toBe(true);
  });

  it("a relay that ended by itself (the run is over) is not replaced", async () => {
    const { executor, channel } = setup();
    const launch = new FakeChild();
    channel.use(launch);
    launch.end({ code: 4, signal: null, lost: false });
    for (let i = 0; i < 5; i++) await tick();
    expect(executor.scripts).toEqual([]);
  });

  it("an input channel that cannot be opened is tried again, and not while the link is down", async () => {
    const { executor, clock, channel, setDown } = setup();
    executor.startError = unreachable();
    channel.reopen();
    for (let i = 0; i < 5; i++) await tick();
    setDown(true);
    executor.startError = null;
    clock.advance(2_000);
    await tick();
    expect(executor.scripts).toEqual([]);
    // The follower's link_restored calls reopen().
    setDown(false);
    channel.reopen();
    await tick();
    expect(executor.scripts).toEqual(["#input run_1"]);
  });

  it("after close no channel is kept: one that opens late is let go", async () => {
    const { executor, channel } = setup();
    channel.reopen();
    channel.close();
    for (let i = 0; i < 5; i++) await tick();
    expect(executor.children[0]?.detached).toBe(true);
  });
});
