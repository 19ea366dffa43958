// Durable runs across a server crash (issue #11): the real server process is killed with SIGKILL
// mid-run and started again on the same DATA_DIR; the run on the real sshd is picked up (or
// collected, if it ended meanwhile) with every line once and its real outcome, shown live on a
// WebSocket; a cancel after the reattachment and the target's orphan watchdog leave no process.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deltasSeen,
  expectEveryLineOnce,
  expectReattached,
  fileAppears,
  liveDeltas,
  runFinishedOn,
  useDurableWorld,
} from "./durable-world.js";
import { hasSshd } from "./both-transports.js";
import { runProcesses, runProcessesAfter } from "./run-processes.js";

describe.skipIf(!hasSshd)(
  "a run survives kill -9 of the server (real sshd, server process)",
  () => {
    const world = useDurableWorld();

    it("kill -9 mid-run, restart: the run is picked up, a WebSocket sees the rest live, every line once, completed", async () => {
      const id = await world().createIdea("crash");
      const before = await world().subscribe(id);
      const count = 200; // 10 s
      const runId = await world().chat(id, `@fake slow interval=50 count=${count}`);
      await deltasSeen(before, runId, 20);
      await world().server.kill9();
      expect(runProcesses(runId).length).toBeGreaterThan(0);

      await world().start();
      const after = await world().subscribe(id, 0);
      const finished = await runFinishedOn(after, runId);
      expect(finished.outcome).toBe("completed");
      expect(liveDeltas(after).length).toBeGreaterThan(0);
      expectEveryLineOnce(world().transcript(id), runId, count);
      expectReattached(world().transcript(id), runId);
      expect(await runProcessesAfter(runId, 5000)).toEqual([]);
    }, 90_000);

    it("a run that ended while the server was down is collected: all its output, its real outcome from the target", async () => {
      const id = await world().createIdea("ended");
      const client = await world().subscribe(id);
      const count = 100;
      // It fails on its own (exit code 3, a message on stderr) while nobody follows it.
      const runId = await world().chat(
        id,
        `@fake slow interval=20 count=${count}\n@fake exit code=3 message="fake-claude: gave up"`,
      );
      await deltasSeen(client, runId, 5);
      await world().server.kill9();
      const exitFile = join(world().runFolder(id, runId), "exit");
      expect(await fileAppears(exitFile, 30_000)).toBe(true);
      expect(readFileSync(exitFile, "utf8").trim()).toBe("3");

      await world().start();
      const after = await world().subscribe(id, 0);
      const finished = await runFinishedOn(after, runId);
      expect(finished.outcome).toBe("failed");
      expect(finished.message).toContain("code 3");
      expect(finished.message).toContain("gave up");
      expectEveryLineOnce(world().transcript(id), runId, count, { results: 0 });
      expectReattached(world().transcript(id), runId);
      expect(await runProcessesAfter(runId, 5000)).toEqual([]);
    }, 90_000);

    it("removes a collected run's folder on the target once a later run ended, keeping the last one", async () => {
      const id = await world().createIdea("spool");
      const client = await world().subscribe(id);
      const first = await world().chat(id, "@fake hello");
      await runFinishedOn(client, first);
      const second = await world().chat(id, "@fake hello");
      await runFinishedOn(client, second);
      const runs = join(world().runFolder(id, second), "..");
      const left = async () => {
        for (let i = 0; i < 50; i++) {
          if (!readdirSync(runs).includes(first)) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        return readdirSync(runs);
      };
      expect(await left()).toEqual([second]);
    }, 60_000);

    it("cancel after a reattachment ends the run and leaves no process of it on the target", async () => {
      const id = await world().createIdea("cancel");
      const client = await world().subscribe(id);
      const runId = await world().chat(id, "@fake slow interval=100 count=1000");
      await deltasSeen(client, runId, 5);
      await world().server.kill9();
      expect(runProcesses(runId).length).toBeGreaterThan(0);

      await world().start();
      const after = await world().subscribe(id, 0);
      // Picked up: output written after the restart reaches the socket live.
      await after.waitFor(
        (m) => m.type === "event" && m.seq > after.lastSeq && m.event.type === "text_delta",
      );
      expect((await world().api(`/api/ideas/${id}/cancel`, "POST")).status).toBe(202);
      expect((await runFinishedOn(after, runId)).outcome).toBe("cancelled");
      expect(await runProcessesAfter(runId, 5000)).toEqual([]);
    }, 90_000);
  },
);

describe.skipIf(!hasSshd)("the orphan watchdog on the target (real sshd, server process)", () => {
  const world = useDurableWorld({ ORPHAN_TIMEOUT_MS: "5000" });

  it("leaves a run the server follows alone, however short ORPHAN_TIMEOUT_MS", async () => {
    const id = await world().createIdea("followed");
    const client = await world().subscribe(id);
    const count = 140; // 7 s: well past the 5 s timeout
    const runId = await world().chat(id, `@fake slow interval=50 count=${count}`);
    expect((await runFinishedOn(client, runId)).outcome).toBe("completed");
    expectEveryLineOnce(world().transcript(id), runId, count);
  }, 60_000);

  it("ends a run nobody reattaches to once its heartbeat is older than ORPHAN_TIMEOUT_MS, and leaves no process", async () => {
    const id = await world().createIdea("orphan");
    const client = await world().subscribe(id);
    const runId = await world().chat(id, "@fake slow interval=100 count=1000");
    await deltasSeen(client, runId, 5);
    await world().server.kill9();
    expect(runProcesses(runId).length).toBeGreaterThan(0);
    expect(await fileAppears(join(world().runFolder(id, runId), "orphaned"), 30_000)).toBe(true);
    expect(await runProcessesAfter(runId, 10_000)).toEqual([]);

    // A server that comes back later finds it over, once.
    await world().start();
    const after = await world().subscribe(id, 0);
    const finished = await runFinishedOn(after, runId);
    expect(finished.outcome).toBe("disconnected");
    expect(finished.message).toContain("ORPHAN_TIMEOUT_MS");
    const ends = world()
      .transcript(id)
      .filter((e) => e.event.type === "run_finished");
    expect(ends).toHaveLength(1);
  }, 60_000);
});
