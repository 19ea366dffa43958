import { afterEach, describe, expect, it } from "vitest";
import { readAll } from "./read-all.test-helper.js";
import { makeHarness, type Harness } from "../../test/server-harness.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

describe("recoverInterruptedRuns (at startup)", () => {
  it("after a crash mid-run, the next start clears the stale activeRunId with a notice and a run_finished", async () => {
    h = await makeHarness();
    const idea = await h.catalyst.store.create({ title: "Kite", description: "" });
    await h.catalyst.store.update(idea.id, (m) => ({
      ...m,
      activeRunId: "run-from-before",
      status: "building",
    }));
    const restarted = await makeHarness({ dataDir: h.dataDir });
    const meta = await restarted.catalyst.store.get(idea.id);
    expect(meta.activeRunId).toBeNull();
    const events = (await readAll(restarted.catalyst.store, idea.id, 0)).map((e) => e.event);
    expect(events).toMatchObject([
      { type: "run_finished", runId: "run-from-before", outcome: "disconnected" },
      { type: "notice", kind: "run_interrupted" },
    ]);
    // Whatever the run left on the target is swept by its marker.
    expect(restarted.runner.swept).toEqual(["run-from-before"]);
    await restarted.catalyst.close();
  });
  it("leaves ideas without an active run alone", async () => {
    h = await makeHarness();
    const idea = await h.catalyst.store.create({ title: "Kite", description: "" });
    const restarted = await makeHarness({ dataDir: h.dataDir });
    expect(await readAll(restarted.catalyst.store, idea.id, 0)).toEqual([]);
    expect(restarted.runner.swept).toEqual([]);
    await restarted.catalyst.close();
  });
});
