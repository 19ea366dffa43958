import type { TranscriptEntry } from "@catalyst/shared";
import { readAll } from "./read-all.test-helper.js";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import { FakeRunner } from "../../test/server-fake-runner.js";
import type { RunHandle, RunSpec } from "../runs/runner.js";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalExecutor } from "../exec/local.js";

const SESSION = "11111111-2222-4333-8444-555555555555";
const NEW_SESSION = "99999999-2222-4333-8444-555555555555";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

const types = (entries: TranscriptEntry[]) => entries.map((e) => e.event.type);

describe("run service", () => {
  it("chats, then builds resuming the saved session: status captured -> chatting -> building -> built", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await runs.start(idea.id, "chat", "hello");
    const chat = await h.runner.nextRun();
    chat.started().init(SESSION);
    // Saved as soon as init arrives, before the run ends.
    await expect.poll(async () => (await store.get(idea.id)).sessionId).toBe(SESSION);
    chat.result(0.5).finish();
    await runs.whenIdle();

    await runs.start(idea.id, "build", undefined);
    const build = await h.runner.nextRun();
    expect(build.spec).toMatchObject({ mode: "build", resumeSessionId: SESSION });
    // A resumed session already knows the idea: only the message is sent.
    expect(build.spec.prompt).toMatch(/^Build it now/);
    build.started().init(SESSION).result(0.25).finish();
    await runs.whenIdle();

    const meta = await store.get(idea.id);
    expect(meta).toMatchObject({
      status: "built",
      runs: 2,
      totalCostUsd: 0.75,
      sessionId: SESSION,
      activeRunId: null,
    });
    const statuses = (await readAll(store, idea.id, 0)).flatMap((e) =>
      e.event.type === "status_changed" ? [[e.event.previous, e.event.status]] : [],
    );
    expect(statuses).toEqual([
      ["captured", "chatting"],
      ["chatting", "building"],
      ["building", "built"],
    ]);
  });

  it("is building only while the build runs: a failed build says so, a chat after it keeps that", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await runs.start(idea.id, "build", undefined);
    const build = await h.runner.nextRun();
    build.started().init(SESSION);
    await expect.poll(async () => (await store.get(idea.id)).status).toBe("building");
    build.finish("failed", 1);
    await runs.whenIdle();
    expect((await store.get(idea.id)).status).toBe("build_failed");

    await runs.start(idea.id, "chat", "what went wrong?");
    const chat = await h.runner.nextRun();
    chat.started().init(SESSION);
    // A chat is not a build: the idea does not say "building" while it runs.
    await expect.poll(async () => (await store.get(idea.id)).activeRunId).not.toBeNull();
    expect((await store.get(idea.id)).status).toBe("build_failed");
    chat.result(0.1).finish();
    await runs.whenIdle();
    expect((await store.get(idea.id)).status).toBe("build_failed");
  });

  it("puts a cancelled build back where the idea was", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await store.update(idea.id, (m) => ({ ...m, status: "built" }));
    await runs.start(idea.id, "build", "once more");
    const build = await h.runner.nextRun();
    build.started();
    await runs.cancel(idea.id); // the fake run ends "cancelled" when cancelled
    await runs.whenIdle();
    expect((await store.get(idea.id)).status).toBe("built");
  });

  it("when the resumed conversation is gone: clears the session, says so, and retries once without --resume", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "the idea text" });
    await store.update(idea.id, (m) => ({ ...m, sessionId: SESSION, status: "chatting" }));
    await runs.start(idea.id, "chat", "again");
    const first = await h.runner.nextRun();
    expect(first.spec.resumeSessionId).toBe(SESSION);
    first.started();
    first.emit({
      type: "stderr",
      parentToolUseId: null,
      text: `No conversation found with session ID: ${SESSION}`,
    });
    first.finish("failed", 1);
    const retry = await h.runner.nextRun();
    expect(retry.spec.resumeSessionId).toBeNull();
    expect(retry.spec.runId).not.toBe(first.spec.runId);
    // The new session gets the idea again.
    expect(retry.spec.prompt).toContain("the idea text");
    retry.started().init(NEW_SESSION).result(0.1).finish();
    await runs.whenIdle();

    const entries = await readAll(store, idea.id, 0);
    expect(types(entries)).toEqual([
      "run_started",
      "stderr",
      "run_finished",
      "notice",
      "run_started",
      "init",
      "result",
      "run_finished",
    ]);
    expect(entries[3]?.event).toMatchObject({ type: "notice", kind: "session_reset" });
    expect(await store.get(idea.id)).toMatchObject({
      sessionId: NEW_SESSION,
      activeRunId: null,
      runs: 2,
    });
  });

  it("does not retry forever: a second missing-session failure ends the run", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await store.update(idea.id, (m) => ({ ...m, sessionId: SESSION }));
    await runs.start(idea.id, "chat", "again");
    const missing = `No conversation found with session ID: ${SESSION}`;
    (await h.runner.nextRun())
      .started()
      .emit({ type: "stderr", parentToolUseId: null, text: missing })
      .finish("failed", 1);
    // The retry has no --resume, so even the same answer is not a reason to retry again.
    (await h.runner.nextRun())
      .started()
      .emit({ type: "stderr", parentToolUseId: null, text: missing })
      .finish("failed", 1);
    await runs.whenIdle();
    expect(h.runner.runs).toHaveLength(2);
  });

  it("a chat queued before the run's process was asked for, then a cancel: the message is recorded in the run, not dropped", async () => {
    const executor = createLocalExecutor();
    const run = executor.run.bind(executor);
    let release = () => {};
    let gate: Promise<void> | null = new Promise<void>((r) => (release = r));
    // Holds the build's "before" checkpoint, so its runner has not been asked yet.
    executor.run = async (script) => {
      if (gate) await gate;
      return run(script);
    };
    h = await makeHarness({
      project: { executor, remoteRoot: await mkdtemp(join(tmpdir(), "p-")) },
    });
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await runs.start(idea.id, "build", undefined);
    expect(await runs.start(idea.id, "chat", "second")).toMatchObject({ queued: true });
    await runs.cancel(idea.id);
    expect(h.runner.runs).toHaveLength(0);
    gate = null;
    release();
    await runs.whenIdle();
    const fake = h.runner.runs[0];
    expect(fake?.sent).toEqual(["second"]);
    const events = (await readAll(store, idea.id, 0)).map((e) => e.event);
    expect(events).toContainEqual({
      type: "user_message_queued",
      runId: fake?.spec.runId,
      message: "second",
    });
    expect(events.some((e) => e.type === "run_finished" && e.outcome === "cancelled")).toBe(true);
  });

  it("records a run whose runner cannot start as a notice and frees the idea", async () => {
    const runner = new FakeRunner();
    runner.start = () => {
      throw new Error("no executor");
    };
    h = await makeHarness({ runner });
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await runs.start(idea.id, "chat", "hi");
    await runs.whenIdle();
    expect(runs.isActive(idea.id)).toBe(false);
    const last = (await readAll(store, idea.id, 0)).at(-1)?.event;
    expect(last).toMatchObject({ type: "notice", level: "error", kind: "run_error" });
    expect(last?.type === "notice" && last.message).toMatch(/no executor/);
  });

  it("counts a run's cost once when its result comes twice (the CLI's total is per process, so a later result includes the earlier one)", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    await runs.start(idea.id, "chat", "hello");
    const first = await h.runner.nextRun();
    // e.g. a success result, then a cancel whose error_during_execution result repeats the total
    first.started().init(SESSION).result(0.5).result(0.5).finish();
    await runs.whenIdle();
    expect((await store.get(idea.id)).totalCostUsd).toBe(0.5);

    await runs.start(idea.id, "chat", "again");
    const second = await h.runner.nextRun();
    second.started().init(SESSION).result(0.25).result(0.75).finish();
    await runs.whenIdle();
    // 0.5 from the first run, then 0.75 in all for the second.
    expect((await store.get(idea.id)).totalCostUsd).toBe(1.25);
  });

  it("frees the slot of a run that could not start, so MAX_CONCURRENT_RUNS counts only real runs", async () => {
    class FailingRunner extends FakeRunner {
      failNext = 0;
      override start(spec: RunSpec): RunHandle {
        if (this.failNext > 0) {
          this.failNext--;
          throw new Error("the target refused");
        }
        return super.start(spec);
      }
    }
    const runner = new FailingRunner();
    runner.failNext = 3;
    h = await makeHarness({ runner, maxConcurrentRuns: 1 });
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    for (let i = 0; i < 3; i++) {
      await runs.start(idea.id, "chat", `try ${i}`);
      await runs.whenIdle();
      expect(runs.activeCount()).toBe(0);
    }
    const meta = await store.get(idea.id);
    expect(meta.activeRunId).toBeNull();
    const notices = (await readAll(store, idea.id, 0)).flatMap((e) =>
      e.event.type === "notice" ? [e.event.kind] : [],
    );
    expect(notices).toEqual(["run_error", "run_error", "run_error"]);
    // The one slot is free: a run that does start is accepted.
    await runs.start(idea.id, "chat", "now");
    (await h.runner.nextRun()).started().finish();
    await runs.whenIdle();
  });

  it("counts a resumed run's own cost: the real CLI restores the session's total on --resume", async () => {
    h = await makeHarness();
    const { store, runs } = h.catalyst;
    const idea = await store.create({ title: "Kite", description: "" });
    const chat = async (sessionId: string, reportedTotal: number) => {
      await runs.start(idea.id, "chat", "hello");
      (await h.runner.nextRun()).started().init(sessionId).result(reportedTotal).finish();
      await runs.whenIdle();
    };
    const lastResult = async () =>
      (await readAll(store, idea.id, 0)).map((e) => e.event).findLast((e) => e.type === "result");

    await chat(SESSION, 0.5);
    await chat(SESSION, 0.75); // resumed: 0.25 of its own, on top of the restored 0.5
    expect(await lastResult()).toMatchObject({ costUsd: 0.25, sessionCostUsd: 0.75 });
    expect(await store.get(idea.id)).toMatchObject({ totalCostUsd: 0.75, sessionCostUsd: 0.75 });

    await chat(SESSION, 0.75); // e.g. a model error: no tokens, the restored total repeated
    expect(await lastResult()).toMatchObject({ costUsd: 0, sessionCostUsd: 0.75 });
    expect((await store.get(idea.id)).totalCostUsd).toBe(0.75);

    await chat(NEW_SESSION, 0.5); // the CLI started another session: nothing to take off
    expect(await lastResult()).toMatchObject({ costUsd: 0.5, sessionCostUsd: 0.5 });
    expect(await store.get(idea.id)).toMatchObject({
      totalCostUsd: 1.25,
      sessionId: NEW_SESSION,
      sessionCostUsd: 0.5,
    });
  });
});
