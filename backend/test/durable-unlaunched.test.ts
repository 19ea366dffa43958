// A run whose launch never reached the target (sshd stopped) when the server stopped: SIGTERM ends
// it as a run that could not start (not "detached"), and after a kill -9 the next start says once,
// plainly, that it never started, with no link_lost/link_restored or "followed again" notice.
// Real sshd (stopped for a while), the real server process.
import { afterAll, describe, expect, it } from "vitest";
import { noticeKinds, useDurableWorld } from "./durable-world.js";
import { hasSshd } from "./both-transports.js";
import { runProcesses } from "./run-processes.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasSshd)("a run whose launch had not reached the target", () => {
  const world = useDurableWorld();
  /** sshd stopped for a while: awaited before the world closes, even when a test failed (a
   * restart after close would leave an sshd listener behind; after-hooks run in reverse order, so
   * this one runs before the world's). */
  let down: Promise<void> = Promise.resolve();
  afterAll(async () => {
    await down.catch(() => undefined);
  });

  const runEntries = (id: string, runId: string) =>
    world()
      .transcript(id)
      .filter((e) => e.runId === runId);
  const notices = (id: string, runId: string) => noticeKinds(world().transcript(id), runId);

  it("SIGTERM while the launch still tries to connect: the run ends 'the server stopped before the run started', the log says detached 0 runs, the next start shows nothing more", async () => {
    const id = await world().createIdea("unlaunched");
    down = world().sshd.stopFor(6_000);
    await sleep(300);
    const runId = await world().chat(id, "@fake slow interval=50 count=10");
    // The SSH pool retries for ~4 s (250 ms, 1 s, 3 s): the launch is still connecting.
    await sleep(1_000);
    expect(await world().server.terminate()).toBe(0);
    expect(world().server.output()).toContain("detached 0 runs");
    expect(world().server.output()).not.toMatch(/detached 1 run/);
    const ends = runEntries(id, runId).filter((e) => e.event.type === "run_finished");
    expect(ends.map((e) => e.event)).toMatchObject([
      {
        outcome: "failed",
        message: "The server stopped before the run started on 127.0.0.1.",
      },
    ]);
    await down;
    const before = runEntries(id, runId).length;
    await world().start();
    const meta = await (await world().api(`/api/ideas/${id}`)).json();
    expect(meta).toMatchObject({ activeRunId: null });
    await sleep(1_000);
    expect(runEntries(id, runId)).toHaveLength(before);
    expect(notices(id, runId)).toEqual([]);
    expect(runProcesses(runId)).toEqual([]);
  }, 60_000);

  it("kill -9 during the launch, restarted while sshd is still down: once it answers, one plain end (never started), no link or reattach notices", async () => {
    const id = await world().createIdea("killed while launching");
    down = world().sshd.stopFor(8_000);
    await sleep(300);
    const runId = await world().chat(id, "@fake slow interval=50 count=10");
    await sleep(1_000);
    await world().server.kill9();
    await world().start();
    await down;
    await expect
      .poll(() => runEntries(id, runId).some((e) => e.event.type === "run_finished"), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(true);
    const ends = runEntries(id, runId).filter((e) => e.event.type === "run_finished");
    expect(ends).toHaveLength(1);
    expect(ends[0]?.event).toMatchObject({
      outcome: "disconnected",
      message: expect.stringContaining("This run never started on 127.0.0.1"),
    });
    expect(notices(id, runId)).toEqual([]);
    expect(runProcesses(runId)).toEqual([]);
  }, 90_000);
});
