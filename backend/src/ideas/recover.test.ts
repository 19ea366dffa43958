import { afterEach, describe, expect, it } from "vitest";
import { runFinished } from "@catalyst/shared";
import { requestEvent, startedEvent } from "./events.test-helper.js";
import { readAll } from "./read-all.test-helper.js";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import { FakeRunner } from "../../test/server-fake-runner.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

describe("recoverInterruptedRuns (at startup)", () => {
  // A run that began (its run_started is written) is followed again: see reattach.test.ts.
  it("after a crash before the run began, the next start clears the stale activeRunId with a notice and a run_finished", async () => {
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
      // Nothing builds after a restart: the cut-short build says so.
      { type: "status_changed", status: "build_failed", previous: "building" },
    ]);
    // Whatever the run left on the target is swept by its marker.
    expect(restarted.runner.swept).toEqual(["run-from-before"]);
    expect(meta.status).toBe("build_failed");
    await restarted.catalyst.close();
  });
  it("turns a stale 'building' left by a finished build (older data) into how that build ended", async () => {
    h = await makeHarness();
    const { store } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await store.append(idea.id, "b1", startedEvent("b1", "build"));
    await store.append(idea.id, "b1", runFinished({ runId: "b1", outcome: "completed" }));
    await store.update(idea.id, (m) => ({ ...m, status: "building", activeRunId: null }));
    const restarted = await makeHarness({ dataDir: h.dataDir });
    expect((await restarted.catalyst.store.get(idea.id)).status).toBe("built");
    await restarted.catalyst.close();
  });
  it("answers a request the dead run waited on as run_ended, so no page waits on it forever", async () => {
    h = await makeHarness();
    const idea = await h.catalyst.store.create({ title: "Kite", description: "" });
    await h.catalyst.store.update(idea.id, (m) => ({ ...m, activeRunId: "run-1" }));
    await h.catalyst.store.append(idea.id, "run-1", requestEvent("answered"));
    await h.catalyst.store.append(idea.id, "run-1", {
      type: "permission_answered",
      runId: "run-1",
      requestId: "answered",
      decision: "allow",
      scope: "once",
      by: "user",
    });
    await h.catalyst.store.append(idea.id, "run-1", requestEvent("waiting"));
    const restarted = await makeHarness({ dataDir: h.dataDir });
    const answers = (await readAll(restarted.catalyst.store, idea.id, 0))
      .map((e) => e.event)
      .filter((e) => e.type === "permission_answered");
    expect(answers).toMatchObject([
      { requestId: "answered", by: "user" },
      { requestId: "waiting", decision: "deny", by: "run_ended" },
    ]);
    await restarted.catalyst.close();
  });

  it("does not attach a run whose run_finished was written before the crash: frees the meta, adds no second end", async () => {
    h = await makeHarness();
    const { store } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await store.append(idea.id, "r1", startedEvent("r1", "chat"));
    await store.append(idea.id, "r1", runFinished({ runId: "r1", outcome: "completed" }));
    // The crash came between the run's end and the meta write that frees the idea.
    await store.update(idea.id, (m) => ({ ...m, activeRunId: "r1" }));
    const restarted = await makeHarness({ dataDir: h.dataDir });
    expect(restarted.runner.attached).toEqual([]);
    expect((await restarted.catalyst.store.get(idea.id)).activeRunId).toBeNull();
    const ends = (await readAll(restarted.catalyst.store, idea.id, 0)).filter(
      (e) => e.event.type === "run_finished",
    );
    expect(ends).toHaveLength(1);
    await restarted.catalyst.close();
  });

  it("does not wait on the target: start-up is done while a sweep and a reattached run have not answered", async () => {
    h = await makeHarness();
    const { store } = h.catalyst;
    const going = await store.create({ title: "Going", description: "" });
    await store.append(going.id, "r1", startedEvent("r1", "chat"));
    await store.update(going.id, (m) => ({ ...m, activeRunId: "r1" }));
    const lost = await store.create({ title: "Lost", description: "" });
    await store.update(lost.id, (m) => ({ ...m, activeRunId: "r2" }));
    // An unreachable target: sweeps never settle, the attached run yields nothing.
    class UnreachableRunner extends FakeRunner {
      override sweep(runId: string): Promise<void> {
        this.swept.push(runId);
        return new Promise(() => undefined);
      }
    }
    const runner = new UnreachableRunner();
    const restarted = await makeHarness({ dataDir: h.dataDir, runner });
    expect(runner.attached.map((r) => r.runId)).toEqual(["r1"]);
    expect(runner.swept).toEqual(["r2"]);
    expect(restarted.catalyst.runs.isActive(going.id)).toBe(true);
    expect((await restarted.api("/api/ideas")).status).toBe(200);
    (await runner.nextRun()).finish("completed");
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
