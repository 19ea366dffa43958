// Durable runs on this machine (no SSH_HOST, the embedded default): `kill -9` of the server process
// mid-run and a restart on the same DATA_DIR; the run, detached from the server, is picked up and
// shown live, every line once, and nothing of it is left afterwards.
import { describe, expect, it } from "vitest";
import {
  deltasSeen,
  expectEveryLineOnce,
  expectReattached,
  liveDeltas,
  runFinishedOn,
  useDurableWorld,
} from "./durable-world.js";
import { runProcesses, runProcessesAfter } from "./run-processes.js";

describe("a run on this machine survives kill -9 of the server (server process)", () => {
  const world = useDurableWorld({}, { target: "local" });

  it("kill -9 mid-run, restart: picked up, the rest live on a WebSocket, every line once, completed, no process left", async () => {
    const id = await world().createIdea("local");
    const before = await world().subscribe(id);
    const count = 160; // 8 s
    const runId = await world().chat(id, `@fake slow interval=50 count=${count}`);
    await deltasSeen(before, runId, 10);
    await world().server.kill9();
    // The run was not the server's child: it goes on without it.
    expect(runProcesses(runId).length).toBeGreaterThan(0);

    await world().start();
    const after = await world().subscribe(id, 0);
    expect((await runFinishedOn(after, runId)).outcome).toBe("completed");
    expect(liveDeltas(after).length).toBeGreaterThan(0);
    expectEveryLineOnce(world().transcript(id), runId, count);
    expectReattached(world().transcript(id), runId);
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 90_000);
});
