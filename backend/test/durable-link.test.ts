// Durable runs over a real sshd (issue #11): the link drops mid-run (the sshd processes serving the
// connection are killed; sshd is stopped for 20 s) and the run completes anyway, every line of its
// output in the transcript exactly once and in order, with notices that the link was lost and back.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  deltasSeen,
  expectEveryLineOnce,
  noticeKinds,
  runFinishedOn,
  useDurableWorld,
} from "./durable-world.js";
import { hasSshd } from "./both-transports.js";
import { runProcessesAfter } from "./run-processes.js";

describe.skipIf(!hasSshd)("a run survives its SSH link (real sshd, server process)", () => {
  const world = useDurableWorld();
  const notices = (ideaId: string, runId: string) => noticeKinds(world().transcript(ideaId), runId);

  it("cut mid-run: the run completes, every line once and in order, link_lost then link_restored", async () => {
    const id = await world().createIdea("cut");
    const client = await world().subscribe(id);
    const count = 300;
    const runId = await world().chat(id, `@fake slow interval=20 count=${count}`);
    await deltasSeen(client, runId, 30);
    expect(world().sshd.cutLinks()).toBeGreaterThan(0);
    const finished = await runFinishedOn(client, runId);
    expect(finished.outcome).toBe("completed");
    expectEveryLineOnce(world().transcript(id), runId, count);
    const kinds = notices(id, runId);
    expect(kinds.filter((k) => k === "link_lost")).toHaveLength(1);
    expect(kinds.filter((k) => k === "link_restored")).toHaveLength(1);
    expect(kinds.indexOf("link_lost")).toBeLessThan(kinds.indexOf("link_restored"));
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 60_000);

  it("sshd down for 20 s mid-run, then back on the same port: the run completes, every line once", async () => {
    const id = await world().createIdea("down");
    const client = await world().subscribe(id);
    const count = 440; // 22 s: it is still going when sshd is back
    const runId = await world().chat(id, `@fake slow interval=50 count=${count}`);
    await deltasSeen(client, runId, 20);
    await world().sshd.stopFor(20_000);
    const finished = await runFinishedOn(client, runId);
    expect(finished.outcome).toBe("completed");
    expectEveryLineOnce(world().transcript(id), runId, count);
    const kinds = notices(id, runId);
    expect(kinds).toContain("link_lost");
    expect(kinds.at(-1)).toBe("link_restored");
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 120_000);

  it("an answer given while sshd is down reaches the CLI once the link is back: the command runs, the build completes", async () => {
    const id = await world().createIdea("answer-down");
    const client = await world().subscribe(id);
    const res = await world().api(`/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo late > late.txt"',
    });
    expect(res.status).toBe(202);
    const asked = await client.waitFor(
      (m) => m.type === "event" && m.event.type === "permission_request",
    );
    if (asked.type !== "event" || asked.event.type !== "permission_request")
      throw new Error("not a permission request");
    const runId = asked.runId ?? "";
    const back = world().sshd.stopFor(4000);
    await client.waitFor(
      (m) => m.type === "event" && m.event.type === "notice" && m.event.kind === "link_lost",
    );
    const answer = await world().api(
      `/api/ideas/${id}/permissions/${asked.event.requestId}`,
      "POST",
      { decision: "allow", scope: "once" },
    );
    expect(answer.status).toBe(200);
    await back;
    expect((await runFinishedOn(client, runId)).outcome).toBe("completed");
    const project = join(world().dir, "remote", "ideas", id, "project");
    expect(readFileSync(join(project, "late.txt"), "utf8")).toBe("late\n");
    expect(await runProcessesAfter(runId, 5000)).toEqual([]);
  }, 60_000);
});
