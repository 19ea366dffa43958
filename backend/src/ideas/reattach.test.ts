// A restart with a run going: start-up hands it to Runner.attach with where its transcript stops,
// and the run service records the reattached run like a started one (FakeRunner, hand-driven clock).
import {
  ideaMetaSchema,
  type ClaudeEvent,
  resultEvent,
  runStarted,
  type OutputSource,
  type TranscriptEntry,
} from "@catalyst/shared";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import { FakeRunner, type FakeRun } from "../../test/server-fake-runner.js";
import { ManualClock } from "../clock.test-helpers.js";
import { createLocalExecutor } from "../exec/local.js";
import { readAll } from "./read-all.test-helper.js";

const SESSION = "11111111-2222-4333-8444-555555555555";
const STARTED_AT = 1_700_000_000_000;

const harnesses: Harness[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.catalyst.close({ detachRuns: true });
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function harness(opts: Parameters<typeof makeHarness>[0] = {}): Promise<Harness> {
  const h = await makeHarness({ clock: new ManualClock(STARTED_AT), ...opts });
  harnesses.push(h);
  if (!opts.dataDir) dirs.push(h.dataDir);
  return h;
}

const text = (t: string): ClaudeEvent => ({
  type: "text",
  parentToolUseId: null,
  messageId: null,
  text: t,
});
const out = (line: number, index = 0): OutputSource => ({ stream: "out", line, index });

/** A build of a new idea, begun as the server would begin it, with its run_started at STARTED_AT. */
async function buildGoing(h: Harness) {
  const created = await h.json("/api/ideas", "POST", { title: "Kite" });
  const idea = ideaMetaSchema.parse(await created.json());
  expect((await h.json(`/api/ideas/${idea.id}/build`, "POST", {})).status).toBe(202);
  const run = await h.runner.nextRun();
  run.emit(
    runStarted({
      runId: run.spec.runId,
      mode: "build",
      prompt: run.spec.prompt,
      target: "fake",
      startedAt: new Date(STARTED_AT).toISOString(),
    }),
  );
  return { id: idea.id, runId: run.spec.runId, run };
}

/** Waits until the transcript has an entry `pred` accepts. */
async function written(h: Harness, id: string, pred: (e: TranscriptEntry) => boolean) {
  await expect
    .poll(async () => (await readAll(h.catalyst.store, id)).some(pred), { interval: 5 })
    .toBe(true);
}

/** The server stops with the run going on the target: what is written stays, the run too. */
async function stopLeavingRunsGoing(h: Harness) {
  await h.catalyst.close({ detachRuns: true });
  harnesses.splice(harnesses.indexOf(h), 1);
}

const eventsOf = async (h: Harness, id: string) =>
  (await readAll(h.catalyst.store, id)).map((e) => e.event);

describe("a restart with a run going (recover + run service + Runner.attach)", () => {
  it("attaches with the run's mode, start time, resume points and waiting requests; records its events, cost, answers, messages and end; the build ends built", async () => {
    const projectRoot = await mkdtemp(join(tmpdir(), "catalyst-reattach-project-"));
    dirs.push(projectRoot);
    const project = { executor: createLocalExecutor(), remoteRoot: projectRoot };
    const first = await harness({ project });
    const { id, runId, run } = await buildGoing(first);
    run
      .emitFrom(
        {
          type: "init",
          parentToolUseId: null,
          sessionId: SESSION,
          model: "fake",
          cwd: "/fake",
          tools: [],
          permissionMode: null,
          cliVersion: "0",
        },
        out(0),
      )
      .emitFrom(text("one"), out(120, 0))
      .emitFrom(text("two"), out(120, 1))
      .emitFrom(
        { type: "stderr", parentToolUseId: null, text: "a warning" },
        {
          stream: "err",
          line: 0,
          index: 0,
        },
      )
      .emitFrom(
        resultEvent({ isError: false, costUsd: 0.3, durationMs: 1, numTurns: 1, text: "turn 1" }),
        out(200),
      )
      .permissionRequest("req-1", {}, out(300));
    await written(first, id, (e) => e.event.type === "permission_request");
    expect((await first.catalyst.store.get(id)).totalCostUsd).toBe(0.3);
    await stopLeavingRunsGoing(first);
    const left = await first.catalyst.store.get(id);
    expect(left).toMatchObject({ activeRunId: runId, status: "building" });

    const runner = new FakeRunner();
    const second = await harness({ dataDir: first.dataDir, runner, project });
    const [request] = (await eventsOf(second, id)).filter((e) => e.type === "permission_request");
    expect(runner.attached).toEqual([
      {
        runId,
        ideaId: id,
        mode: "build",
        startedAt: STARTED_AT,
        resume: { out: { offset: 300, skip: 1 }, err: { offset: 0, skip: 1 } },
        waiting: [request],
      },
    ]);
    const again = await runner.nextRun();
    expect(second.catalyst.runs.isActive(id)).toBe(true);
    // The request waits on: the person answers it now, through the reattached run.
    const answer = await second.json(`/api/ideas/${id}/permissions/req-1`, "POST", {
      decision: "allow",
    });
    expect(answer.status).toBe(200);
    expect(again.lines.join("\n")).toContain("req-1");
    // A chat message goes into the run going, as with a started one.
    const chat = await second.json(`/api/ideas/${id}/chat`, "POST", { message: "also a README" });
    expect(await chat.json()).toMatchObject({ runId, queued: true });
    expect(again.sent).toEqual(["also a README"]);
    again
      .emitFrom(text("three"), out(400))
      .emitFrom(
        resultEvent({ isError: false, costUsd: 0.5, durationMs: 1, numTurns: 2, text: "turn 2" }),
        out(500),
      )
      .finish("completed");
    await second.catalyst.runs.whenIdle();

    const entries = (await readAll(second.catalyst.store, id)).filter((e) => e.runId === runId);
    const events = entries.map((e) => e.event);
    expect(events.filter((e) => e.type === "run_finished")).toEqual([
      expect.objectContaining({ outcome: "completed" }),
    ]);
    expect(events.filter((e) => e.type === "run_started")).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "notice", kind: "run_reattached" }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "permission_answered", requestId: "req-1", by: "user" }),
    );
    expect(entries.find((e) => e.event.type === "text" && e.event.text === "three")?.src).toEqual(
      out(400),
    );
    // Its own cost counted once: 0.3 before the restart, 0.2 more after.
    const result = events.filter((e) => e.type === "result").at(-1);
    expect(result).toMatchObject({ costUsd: 0.5, sessionCostUsd: 0.5 });
    const meta = await second.catalyst.store.get(id);
    expect(meta).toMatchObject({ status: "built", activeRunId: null, totalCostUsd: 0.5 });
    expect(events.at(-1)).toMatchObject({
      type: "status_changed",
      previous: "building",
      status: "built",
    });
    // The usage index (usage page, monthly budget) has the run once, with its whole cost.
    expect(second.catalyst.usage.runs().filter((r) => r.runId === runId)).toMatchObject([
      { costUsd: 0.5, outcome: "completed", mode: "build" },
    ]);
    // The build's "after" checkpoint was taken: its changes can be shown.
    expect((await second.api(`/api/ideas/${id}/runs/${runId}/changes`)).status).toBe(200);
  });

  it("a run followed through two restarts is counted once in usage, with its whole cost", async () => {
    const first = await harness();
    const { id, runId, run } = await buildGoing(first);
    run.emitFrom(resultEvent({ isError: false, costUsd: 0.25, numTurns: 1 }), out(0));
    await written(first, id, (e) => e.event.type === "result");
    expect(first.catalyst.usage.spentUsd(0, Number.MAX_SAFE_INTEGER)).toBe(0.25);
    await stopLeavingRunsGoing(first);

    const second = await harness({ dataDir: first.dataDir });
    // While it goes on, what it has cost so far counts against the budgets.
    expect(second.catalyst.usage.spentUsd(0, Number.MAX_SAFE_INTEGER)).toBe(0.25);
    await second.runner.nextRun();
    await stopLeavingRunsGoing(second);

    const third = await harness({ dataDir: first.dataDir });
    const again = await third.runner.nextRun();
    again.emitFrom(resultEvent({ isError: false, costUsd: 0.75, numTurns: 2 }), out(90)).finish();
    await third.catalyst.runs.whenIdle();
    expect(third.catalyst.usage.runs()).toMatchObject([{ runId, costUsd: 0.75 }]);
    await third.catalyst.usage.flushed();
    const fourth = await harness({ dataDir: first.dataDir });
    expect(fourth.catalyst.usage.runs()).toMatchObject([{ runId, costUsd: 0.75 }]);
    expect((await fourth.catalyst.store.get(id)).totalCostUsd).toBe(0.75);
  });

  it("after a crash between one line's events, resumes that line skipping only what was written", async () => {
    const first = await harness();
    const { id, run } = await buildGoing(first);
    // One output line decoded into three events; the server died after writing the first two.
    run.emitFrom(text("a"), out(64, 0)).emitFrom(text("b"), out(64, 1));
    await written(first, id, (e) => e.event.type === "text" && e.event.text === "b");
    await stopLeavingRunsGoing(first);

    const runner = new FakeRunner();
    const second = await harness({ dataDir: first.dataDir, runner });
    expect(runner.attached[0]?.resume).toEqual({
      out: { offset: 64, skip: 2 },
      err: { offset: 0, skip: 0 },
    });
    expect(runner.attached[0]?.waiting).toEqual([]);
    const again = await runner.nextRun();
    again.emitFrom(text("c"), out(64, 2)).finish("completed");
    await second.catalyst.runs.whenIdle();
    const texts = (await eventsOf(second, id)).flatMap((e) => (e.type === "text" ? [e.text] : []));
    expect(texts).toEqual(["a", "b", "c"]);
  });

  it("a run that is no longer on the target ends disconnected through the run service: its waiting request is closed, the build failed, no notice contradicts its end", async () => {
    const first = await harness();
    const { id, runId, run } = await buildGoing(first);
    run.permissionRequest("req-1", {}, out(0));
    await written(first, id, (e) => e.event.type === "permission_request");
    await stopLeavingRunsGoing(first);

    const runner = new FakeRunner();
    // What the runner says when nothing of the run is left to follow: no notice, one plain end.
    runner.reattachFinds = "nothing";
    const second = await harness({ dataDir: first.dataDir, runner });
    const again: FakeRun = await runner.nextRun();
    again.finish("disconnected", null);
    await second.catalyst.runs.whenIdle();
    const events = (await eventsOf(second, id)).filter((e) => !("runId" in e) || e.runId === runId);
    const after = events.slice(events.findIndex((e) => e.type === "permission_request") + 1);
    expect(after).toMatchObject([
      { type: "permission_answered", requestId: "req-1", decision: "deny", by: "run_ended" },
      { type: "run_finished", outcome: "disconnected" },
      { type: "status_changed", previous: "building", status: "build_failed" },
    ]);
    expect(await second.catalyst.store.get(id)).toMatchObject({
      status: "build_failed",
      activeRunId: null,
    });
    // Nothing is left to sweep by hand: the runner's attach deals with the target.
    expect(runner.swept).toEqual([]);
  });

  it("a shutdown while a build's first snapshot is taken starts nothing and leaves nothing going", async () => {
    const executor = createLocalExecutor();
    const run = executor.run.bind(executor);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // Holds the build's "before" checkpoint: its runner has not been asked yet.
    executor.run = async (script) => {
      await gate;
      return run(script);
    };
    const projectRoot = await mkdtemp(join(tmpdir(), "catalyst-reattach-project-"));
    dirs.push(projectRoot);
    const first = await harness({ project: { executor, remoteRoot: projectRoot } });
    const idea = await first.catalyst.store.create({ title: "Kite", description: "" });
    await first.catalyst.runs.start(idea.id, "build", undefined);
    const closed = first.catalyst.close({ detachRuns: true });
    harnesses.splice(harnesses.indexOf(first), 1);
    release();
    // Refused ("Catalyst is shutting down"): not counted as left going (the shutdown's log line).
    expect(await closed).toEqual({ detached: 0 });
    expect(first.runner.runs).toEqual([]);
    expect(await first.catalyst.store.get(idea.id)).toMatchObject({
      activeRunId: null,
      status: "build_failed",
    });
    const restarted = await harness({ dataDir: first.dataDir });
    expect(restarted.runner.attached).toEqual([]);
  });

  it("asks a reattached run to stop again when a cancel was asked for before the restart", async () => {
    const first = await harness();
    const { id, run } = await buildGoing(first);
    // The CLI has not stopped yet when the server goes (a cancel takes a grace period).
    run.handle.cancel = () => undefined;
    expect((await first.json(`/api/ideas/${id}/cancel`, "POST", {})).status).toBe(202);
    await written(first, id, (e) => e.event.type === "cancel_requested");
    await stopLeavingRunsGoing(first);

    const runner = new FakeRunner();
    const second = await harness({ dataDir: first.dataDir, runner });
    const again = await runner.nextRun();
    await second.catalyst.runs.whenIdle();
    expect(again.cancelCalls).toBe(1);
    expect((await second.catalyst.store.get(id)).activeRunId).toBeNull();
    const cancels = (await eventsOf(second, id)).filter((e) => e.type === "cancel_requested");
    expect(cancels).toHaveLength(1);
  });
});
