// A graceful stop with a run going: left going by default (the meta keeps it for the next start),
// cancelled with SHUTDOWN_CANCELS_RUNS. Real server (HTTP), FakeRunner.
import { ideaMetaSchema } from "@catalyst/shared";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeRunner } from "../../test/server-fake-runner.js";
import { api, startTestServer } from "../../test/server-start.js";
import { createIdeaStore } from "../ideas/store.js";
import { readAll } from "../ideas/read-all.test-helper.js";
import { systemClock } from "../clock.js";
import { nanoIds, silentLogger, type Logger } from "../deps.js";
import { createNodeFs } from "../fs/fs-port.js";
import { shutDown } from "./shut-down.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (msg: string) => lines.push(msg);
  return { logger: { info: push, warn: push, error: push }, lines };
}

/** A server with one chat run going. */
async function serverWithRun() {
  const runner = new FakeRunner();
  const srv = await startTestServer(runner);
  dirs.push(srv.dataDir);
  const created = await api(srv.url, "/api/ideas", "POST", { title: "Kite" });
  const idea = ideaMetaSchema.parse(await created.json());
  expect((await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", { message: "hi" })).status).toBe(
    202,
  );
  const run = (await runner.nextRun()).started().text("working");
  const store = createIdeaStore({
    fs: createNodeFs(),
    dataDir: srv.dataDir,
    clock: systemClock,
    ids: nanoIds,
    logger: silentLogger,
  });
  await expect
    .poll(async () => (await readAll(store, idea.id)).map((e) => e.event.type))
    .toContain("text");
  const meta = async () =>
    ideaMetaSchema.parse(
      JSON.parse(await readFile(join(srv.dataDir, "ideas", idea.id, "meta.json"), "utf8")),
    );
  return { runner, srv, run, id: idea.id, store, meta };
}

describe("shutDown", () => {
  it("leaves runs going by default: the runner detaches, nothing ends the run, the meta keeps it, the log says how many", async () => {
    const { runner, srv, run, id, store, meta } = await serverWithRun();
    const { logger, lines } = recordingLogger();
    expect(await shutDown(srv, runner, { cancelRuns: false }, logger)).toEqual({ detached: 1 });
    expect(runner.closedWith).toEqual({ detach: true });
    expect(run.cancelCalls).toBe(0);
    // Said as a person would read it in a service's log: one run is "it", not "they".
    expect(lines).toContainEqual(
      "detached 1 run: it goes on on the target, and the next start follows it again",
    );
    // What the run does after the detach is not written by this server (the next one reads it):
    // its recording has stopped by the time shutDown returns.
    run.finish("completed");
    const types = (await readAll(store, id)).map((e) => e.event.type);
    expect(types).not.toContain("run_finished");
    expect((await meta()).activeRunId).toBe(run.spec.runId);
  });

  it("a run whose launch had not reached the target is not detached: it ends as one that could not start, the meta is freed, the log counts 0", async () => {
    const { runner, srv, run, id, store, meta } = await serverWithRun();
    // Still connecting to the target (sshd down): nothing of it is there.
    run.onTarget = false;
    const { logger, lines } = recordingLogger();
    expect(await shutDown(srv, runner, { cancelRuns: false }, logger)).toEqual({ detached: 0 });
    expect(lines).toContainEqual("detached 0 runs: none was going");
    expect(lines.join("\n")).not.toContain("goes on on the target");
    const events = (await readAll(store, id)).map((e) => e.event);
    expect(events.filter((e) => e.type === "run_finished")).toEqual([
      expect.objectContaining({
        outcome: "failed",
        message: "The server stopped before the run started on fake.",
      }),
    ]);
    expect((await meta()).activeRunId).toBeNull();
  });

  it("cancels runs with SHUTDOWN_CANCELS_RUNS: each ends cancelled and is recorded before the runner closes", async () => {
    const { runner, srv, run, id, store, meta } = await serverWithRun();
    const { logger } = recordingLogger();
    expect(await shutDown(srv, runner, { cancelRuns: true }, logger)).toEqual({ detached: 0 });
    expect(run.cancelCalls).toBe(1);
    expect(runner.closedWith).toEqual({ detach: false });
    const events = (await readAll(store, id)).map((e) => e.event);
    expect(events.at(-1)).toMatchObject({
      type: "run_finished",
      runId: run.spec.runId,
      outcome: "cancelled",
    });
    expect((await meta()).activeRunId).toBeNull();
  });
});
