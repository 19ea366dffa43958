// Reading what the transcript says of the run a meta still names: only that run's entries count.
import { resultEvent, runFinished, type TranscriptEvent } from "@catalyst/shared";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { nanoIds, silentLogger } from "../deps.js";
import { createNodeFs } from "../fs/fs-port.js";
import { requestEvent, startedEvent } from "./events.test-helper.js";
import { findInterruptedRun } from "./interrupted-run.js";
import { createIdeaStore, type IdeaStore } from "./store.js";

let dataDir: string;
let store: IdeaStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "catalyst-interrupted-"));
  store = createIdeaStore({
    fs: createNodeFs(),
    dataDir,
    clock: systemClock,
    ids: nanoIds,
    logger: silentLogger,
  });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const text = (t: string): TranscriptEvent => ({
  type: "text",
  parentToolUseId: null,
  messageId: null,
  text: t,
});
describe("findInterruptedRun", () => {
  it("takes the resume point of each stream, waiting requests, cost and status from the run's own entries only", async () => {
    const idea = await store.create({ title: "t", description: "" });
    const out = (line: number, index: number) => ({ stream: "out" as const, line, index });
    // An earlier run, with output positions of its own (in its own files): not this run's.
    await store.append(idea.id, "old", startedEvent("old", "build"));
    await store.append(idea.id, "old", text("old"), out(9000, 3));
    await store.append(idea.id, "old", runFinished({ runId: "old", outcome: "completed" }));
    await store.append(idea.id, "r", {
      type: "status_changed",
      status: "building",
      previous: "built",
    });
    await store.append(
      idea.id,
      "r",
      startedEvent("r", "build", "11111111-2222-4333-8444-555555555555"),
    );
    await store.append(idea.id, "r", text("a"), out(0, 0));
    await store.append(
      idea.id,
      "r",
      { type: "stderr", text: "warn" },
      { stream: "err", line: 7, index: 0 },
    );
    await store.append(idea.id, "r", requestEvent("q1"), out(40, 0));
    await store.append(idea.id, "r", requestEvent("q2"), out(40, 1));
    await store.append(idea.id, "r", {
      type: "permission_answered",
      runId: "r",
      requestId: "q1",
      decision: "allow",
      scope: "once",
      by: "user",
    });
    // As the recorder writes a result: the run's own cost, the CLI's session total beside it.
    await store.append(
      idea.id,
      "r",
      { ...resultEvent({ isError: true, costUsd: 0.5 }), sessionCostUsd: 2 },
      out(90, 0),
    );
    await store.append(idea.id, "r", { type: "cancel_requested", runId: "r" });
    const meta = await store.update(idea.id, (m) => ({
      ...m,
      activeRunId: "r",
      status: "building",
    }));

    const found = await findInterruptedRun(store, { ...meta, activeRunId: "r" });
    expect(found.kind).toBe("begun");
    if (found.kind !== "begun") return;
    expect(found.run.ref).toMatchObject({
      runId: "r",
      ideaId: idea.id,
      mode: "build",
      startedAt: Date.parse("2026-01-02T03:04:05.000Z"),
      resume: { out: { offset: 90, skip: 1 }, err: { offset: 7, skip: 1 } },
    });
    expect(found.run.ref.waiting.map((w) => w.requestId)).toEqual(["q2"]);
    expect(found.run).toMatchObject({
      before: "built",
      resumeSessionId: "11111111-2222-4333-8444-555555555555",
      cost: { base: 1.5, counted: 0.5 },
      errorResult: true,
      cancelRequested: true,
    });
  });

  it("says finished when the run's end is written, unstarted when its run_started is not", async () => {
    const idea = await store.create({ title: "t", description: "" });
    const meta = await store.update(idea.id, (m) => ({ ...m, activeRunId: "r" }));
    await store.append(idea.id, "r", requestEvent("q"));
    expect(await findInterruptedRun(store, { ...meta, activeRunId: "r" })).toMatchObject({
      kind: "unstarted",
      waiting: [{ requestId: "q" }],
    });
    await store.append(idea.id, "r", startedEvent("r", "build"));
    await store.append(idea.id, "r", runFinished({ runId: "r", outcome: "failed" }));
    expect(await findInterruptedRun(store, { ...meta, activeRunId: "r" })).toMatchObject({
      kind: "finished",
    });
  });
});
