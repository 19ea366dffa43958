// The server stops leaving runs going (RunHandle.letGo): a run still connecting to its target is
// not left going but ends as one that could not start; one launched or attached to goes on.
import { describe, expect, it } from "vitest";
import { unreachable } from "./fakes.test-helpers.js";
import { childOf, finished, setup, tick } from "./run.test-helpers.js";

const ref = {
  runId: "run_1",
  ideaId: "abcdefghijklmnopqrstu",
  mode: "build" as const,
  startedAt: 0,
  resume: { out: { offset: 0, skip: 0 }, err: { offset: 0, skip: 0 } },
  waiting: [],
};

describe("letGo: a shutdown that leaves runs going", () => {
  it("ends a run whose launch is still connecting: not detached, run_finished says the server stopped before it started", async () => {
    // The target does not answer (sshd stopped): the connection is still being tried.
    const { run, events, collected } = setup({
      prepare: (e) => (e.connecting = new Promise<void>(() => {})),
    });
    await tick();
    expect(run.letGo()).toBe(false);
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "The server stopped before the run started on vm.",
    });
    // Asked again (the runner's close after the run service's): still nothing going.
    expect(run.letGo()).toBe(false);
  });

  it("a connection that comes up after the server let go starts nothing: no env header, the channel let go, its sweep owed", async () => {
    let connect = () => {};
    const { executor, run, owed } = setup({
      prepare: (e) => (e.connecting = new Promise<void>((r) => (connect = r))),
    });
    await tick();
    run.letGo();
    connect();
    await run.done;
    const launched = executor.runs.get("run_1");
    expect(launched?.written ?? []).toEqual([]);
    expect(executor.children.every((c) => c.detached)).toBe(true);
    expect(owed).toEqual([["run_1", null]]);
  });

  it("the connection failing after the let-go adds nothing: one run_finished", async () => {
    let connect = () => {};
    const { executor, run, events, collected } = setup({
      prepare: (e) => (e.connecting = new Promise<void>((r) => (connect = r))),
    });
    await tick();
    run.letGo();
    executor.startError = unreachable();
    connect();
    await run.done;
    await collected;
    expect(finished(events).message).toBe("The server stopped before the run started on vm.");
  });

  it("leaves a launched run going: its events end without run_finished", async () => {
    const { executor, run, events, collected } = setup();
    await childOf(executor);
    expect(run.letGo()).toBe(true);
    await collected;
    expect(events.map((e) => e.type)).toEqual(["run_started"]);
  });

  it("leaves an attached run going even while its status is still being read", async () => {
    let connect = () => {};
    const { run, events, collected } = setup({
      attach: ref,
      prepare: (e) => {
        e.connecting = new Promise<void>((r) => (connect = r));
      },
    });
    await tick();
    expect(run.letGo()).toBe(true);
    connect();
    await collected;
    expect(events).toEqual([]);
  });
});
