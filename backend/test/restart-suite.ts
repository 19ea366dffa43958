// A server restarted with a run going, on a real executor (this machine, or the test sshd): the
// next server (start-up recovery, run service, the CliRunner's attach) follows the run to its end.
import { ideaMetaSchema, type TranscriptEntry } from "@catalyst/shared";
import { readFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { nanoIds, silentLogger } from "../src/deps.js";
import type { Executor } from "../src/exec/executor.js";
import { createNodeFs } from "../src/fs/fs-port.js";
import { shutDown } from "../src/http/shut-down.js";
import { createIdeaStore } from "../src/ideas/store.js";
import { createCliRunner } from "../src/runs/cli-runner.js";
import { markerAlive, testSettings } from "./runs-helpers.js";
import { api, startTestServer } from "./server-start.js";

/** `executor()` makes a new executor (each server process has its own connections). */
export function restartTests(executor: () => Executor): void {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  /** One DATA_DIR and one target folder; servers over them start and stop as the test says. */
  async function setup() {
    const settings = testSettings();
    const dataDir = await mkdtemp(join(tmpdir(), "catalyst-restart-"));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const serverOn = async () => {
      const exec = executor();
      const runner = createCliRunner({ ...settings, executor: exec });
      const server = await startTestServer(runner, {
        DATA_DIR: dataDir,
        REMOTE_ROOT: settings.remoteRoot,
      });
      let stopped = false;
      cleanup.push(async () => {
        if (!stopped) await shutDown(server, runner, { cancelRuns: true }, silentLogger);
      });
      return {
        runner,
        server,
        exec,
        /** Stops as SIGTERM does by default: the run goes on on the target. */
        async stopLeavingRunsGoing() {
          stopped = true;
          await shutDown(server, runner, { cancelRuns: false }, silentLogger);
        },
      };
    };
    const store = createIdeaStore({
      fs: createNodeFs(),
      dataDir,
      clock: systemClock,
      ids: nanoIds,
      logger: silentLogger,
    });
    const entries = async (id: string) => {
      const all: TranscriptEntry[] = [];
      for await (const e of store.events(id, 0)) all.push(e);
      return all;
    };
    const newIdea = async (url: string) => {
      const created = await api(url, "/api/ideas", "POST", { title: "Kite" });
      return ideaMetaSchema.parse(await created.json()).id;
    };
    /** Waits until the idea's run is over (the meta frees it), then returns the run's entries. */
    const ended = async (id: string, runId: string) => {
      await expect
        .poll(async () => (await store.get(id)).activeRunId, { timeout: 30_000 })
        .toBeNull();
      return (await entries(id)).filter((e) => e.runId === runId);
    };
    return { settings, serverOn, store, entries, newIdea, ended };
  }

  it("a run left going by a shutdown is followed to its end by the next server: every line once, the real outcome, nothing left", async () => {
    const { serverOn, store, entries, newIdea, ended } = await setup();
    const first = await serverOn();
    const id = await newIdea(first.server.url);
    const count = 30;
    const chat = await api(first.server.url, `/api/ideas/${id}/chat`, "POST", {
      message: `@fake slow interval=100 count=${count}`,
    });
    expect(chat.status).toBe(202);
    await expect
      .poll(async () => (await entries(id)).filter((e) => e.event.type === "text_delta").length, {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(3);
    await first.stopLeavingRunsGoing();
    const runId = (await store.get(id)).activeRunId ?? "";
    expect(runId).not.toBe("");

    const second = await serverOn();
    const run = await ended(id, runId);
    const events = run.map((e) => e.event);
    expect(events.filter((e) => e.type === "run_finished")).toMatchObject([
      { outcome: "completed" },
    ]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "notice", kind: "run_reattached" }),
    );
    // Every delta once, in order, across the restart: together they are the whole text.
    const deltas = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : []));
    const whole = Array.from({ length: count }, (_, i) => `Line ${i + 1} of ${count}.\n`).join("");
    expect(deltas.join("")).toBe(whole);
    // Each decoded event says where it came from; within a stream, in file order.
    const sources = run.flatMap((e) => (e.src?.stream === "out" ? [e.src] : []));
    expect(sources.length).toBeGreaterThan(count);
    const order = sources.map((s) => s.line * 1000 + s.index);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    // Nothing of the run is left on the target.
    await expect.poll(() => markerAlive(second.exec, runId), { timeout: 10_000 }).toBe(false);
  }, 90_000);

  it("a request waiting when the server stopped is answered after the restart: the run does what was allowed and ends", async () => {
    const { settings, serverOn, store, entries, newIdea, ended } = await setup();
    const first = await serverOn();
    const id = await newIdea(first.server.url);
    const build = await api(first.server.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo after > after.txt"',
    });
    expect(build.status).toBe(202);
    let requestId = "";
    await expect
      .poll(
        async () => {
          const request = (await entries(id)).find((e) => e.event.type === "permission_request");
          if (request?.event.type === "permission_request") requestId = request.event.requestId;
          return requestId;
        },
        { timeout: 20_000 },
      )
      .not.toBe("");
    await first.stopLeavingRunsGoing();
    const runId = (await store.get(id)).activeRunId ?? "";

    const second = await serverOn();
    const answer = await api(
      second.server.url,
      `/api/ideas/${id}/permissions/${requestId}`,
      "POST",
      {
        decision: "allow",
      },
    );
    expect(answer.status).toBe(200);
    const events = (await ended(id, runId)).map((e) => e.event);
    expect(events.filter((e) => e.type === "permission_answered")).toMatchObject([
      { requestId, decision: "allow", by: "user" },
    ]);
    expect(events.filter((e) => e.type === "run_finished")).toMatchObject([
      { outcome: "completed" },
    ]);
    const project = join(settings.remoteRoot, "ideas", id, "project");
    expect(await readFile(join(project, "after.txt"), "utf8")).toBe("after\n");
    expect((await store.get(id)).status).toBe("built");
  }, 90_000);
}
