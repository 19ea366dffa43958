// Durable runs (issue #11), the live session and the shutdown across a server restart, over a real
// sshd with the server as its own process: a permission request asked before `kill -9` is answered
// after the restart and the command runs; an inactivity timeout still ends a reattached run; a
// SIGTERM leaves the run going (and says so) and the next start picks it up.
import { permissionRequestEventSchema } from "@catalyst/shared";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hasSshd } from "./both-transports.js";
import {
  deltasSeen,
  expectEveryLineOnce,
  expectReattached,
  runFinishedOn,
  useDurableWorld,
} from "./durable-world.js";
import { runProcesses, runProcessesAfter } from "./run-processes.js";

describe.skipIf(!hasSshd)("the live session across a restart (real sshd, server process)", () => {
  const world = useDurableWorld({ CLAUDE_TIMEOUT_MS: "6000" });

  it("a permission request asked before kill -9 is answered after the restart: the command runs, the build completes", async () => {
    const id = await world().createIdea("approve");
    const client = await world().subscribe(id);
    const res = await world().api(`/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo built > built.txt"',
    });
    expect(res.status).toBe(202);
    const asked = await client.waitFor(
      (m) => m.type === "event" && m.event.type === "permission_request",
    );
    if (asked.type !== "event") throw new Error("not an event");
    const request = permissionRequestEventSchema.parse(asked.event);
    const runId = asked.runId ?? "";
    await world().server.kill9();
    expect(runProcesses(runId).length).toBeGreaterThan(0);

    await world().start();
    const after = await world().subscribe(id, 0);
    const answer = await world().api(`/api/ideas/${id}/permissions/${request.requestId}`, "POST", {
      decision: "allow",
      scope: "once",
    });
    expect(answer.status).toBe(200);
    expect((await runFinishedOn(after, runId)).outcome).toBe("completed");
    const project = join(world().dir, "remote", "ideas", id, "project");
    expect(readFileSync(join(project, "built.txt"), "utf8")).toBe("built\n");
    const answered = world()
      .transcript(id)
      .filter((e) => e.event.type === "permission_answered" && e.runId === runId);
    expect(answered.map((e) => e.event)).toEqual([
      expect.objectContaining({ requestId: request.requestId, decision: "allow" }),
    ]);
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 90_000);

  it("the inactivity timeout still ends a reattached run that went silent, and leaves no process", async () => {
    const id = await world().createIdea("silent");
    const client = await world().subscribe(id);
    const runId = await world().chat(id, "@fake slow interval=20 count=5\n@fake silence ms=120000");
    await deltasSeen(client, runId, 5);
    await world().server.kill9();

    await world().start();
    const after = await world().subscribe(id, 0);
    expect((await runFinishedOn(after, runId)).outcome).toBe("timed_out");
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 90_000);

  it("SIGTERM leaves the run going and says so; the next start picks it up: completed, every line once", async () => {
    const id = await world().createIdea("sigterm");
    const client = await world().subscribe(id);
    const count = 140; // 7 s
    const runId = await world().chat(id, `@fake slow interval=50 count=${count}`);
    await deltasSeen(client, runId, 10);
    const stopping = world().server;
    expect(await stopping.terminate()).toBe(0);
    expect(stopping.output()).toMatch(/detached 1 run/);
    expect(runProcesses(runId).length).toBeGreaterThan(0);

    await world().start();
    const after = await world().subscribe(id, 0);
    expect((await runFinishedOn(after, runId)).outcome).toBe("completed");
    expectEveryLineOnce(world().transcript(id), runId, count);
    expectReattached(world().transcript(id), runId);
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 90_000);
});
