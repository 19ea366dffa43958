import { describe, expect, it } from "vitest";
import {
  FakeChild,
  FakeExecutor,
  FakeRun,
  ManualClock,
  unreachable,
} from "./fakes.test-helpers.js";
import { keepInputChannel } from "./input-channel.js";
import { relayInput } from "./run-input.js";

const tick = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const executor = new FakeExecutor();
  const clock = new ManualClock();
  const run = new FakeRun("run_1", null);
  executor.runs.set("run_1", run);
  const input = relayInput("#END");
  let down = false;
  const channel = keepInputChannel({
    executor,
    clock,
    input,
    script: () => "#input run_1",
    linkDown: () => down,
  });
  return { executor, clock, input, channel, run, setDown: (v: boolean) => (down = v) };
}

describe("keepInputChannel", () => {
  it("a relay that dropped is replaced by an input script's channel; lines written meanwhile go first, in order", async () => {
    const { executor, input, channel, run } = setup();
    const launch = new FakeChild();
    channel.use(launch);
    input.send("a");
    launch.end({ code: null, signal: null, lost: true });
    await tick();
    // Known to be dropped: from now on lines wait (one written before that went with the channel).
    input.send("b");
    for (let i = 0; i < 5; i++) await tick();
    expect(executor.scripts).toEqual(["#input run_1"]);
    input.send("c");
    input.end();
    await tick();
    expect(launch.written).toEqual(["a"]);
    // The run's input: what the input script relayed, the end line closing it.
    expect(run.written).toEqual(["b", "c"]);
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
