import {
  apiErrorSchema,
  eventsResponseSchema,
  ideaMetaSchema,
  type IdeaMeta,
} from "@catalyst/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ManualClock } from "../clock.test-helpers.js";
import { makeHarness, type Harness } from "../../test/server-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.cleanup();
});

async function create(
  title = "A kite that flies itself",
  description = "With a tiny motor",
): Promise<IdeaMeta> {
  const res = await h.json("/api/ideas", "POST", { title, description });
  expect(res.status).toBe(201);
  return ideaMetaSchema.parse(await res.json());
}

async function errorOf(res: Response) {
  return apiErrorSchema.parse(await res.json()).error;
}

describe("ideas API", () => {
  it("creates an idea as captured, with no session, and lists it", async () => {
    const meta = await create();
    expect(meta).toMatchObject({
      title: "A kite that flies itself",
      status: "captured",
      sessionId: null,
      runs: 0,
      totalCostUsd: 0,
    });
    const list = z.array(ideaMetaSchema).parse(await (await h.api("/api/ideas")).json());
    expect(list.map((m) => m.id)).toEqual([meta.id]);
  });

  it("lists ideas newest first", async () => {
    await h.cleanup();
    const clock = new ManualClock();
    h = await makeHarness({ clock });
    const first = await create("first");
    clock.advance(1_000);
    const second = await create("second");
    const list = z.array(ideaMetaSchema).parse(await (await h.api("/api/ideas")).json());
    expect(list.map((m) => m.id)).toEqual([second.id, first.id]);
  });

  it("gets, patches and deletes an idea", async () => {
    const meta = await create();
    const patched = await h.json(`/api/ideas/${meta.id}`, "PATCH", { title: "Renamed" });
    expect(patched.status).toBe(200);
    expect(ideaMetaSchema.parse(await patched.json())).toMatchObject({
      title: "Renamed",
      description: "With a tiny motor",
    });
    const got = ideaMetaSchema.parse(await (await h.api(`/api/ideas/${meta.id}`)).json());
    expect(got.title).toBe("Renamed");
    expect((await h.api(`/api/ideas/${meta.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.api(`/api/ideas/${meta.id}`)).status).toBe(404);
  });

  it("refuses a missing title and an empty patch with a 400 naming the problem", async () => {
    const res = await h.json("/api/ideas", "POST", { description: "no title" });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/title/);
    const meta = await create();
    const empty = await h.json(`/api/ideas/${meta.id}`, "PATCH", {});
    expect(empty.status).toBe(400);
    expect(await errorOf(empty)).toMatchObject({
      code: "bad_request",
      message: "nothing to change",
    });
  });

  it("answers a body that is not JSON with a 400", async () => {
    const res = await h.api("/api/ideas", {
      method: "POST",
      body: "{nope",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer test-key-0123456789abcdef",
      },
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toMatch(/not valid JSON/);
  });

  it.each(["..%2F..%2Fetc", "short", "a".repeat(22), "aaaaaaaaaaaaaaaaaaaa.", "%2e%2e"])(
    "treats the bad id %s as a 404, never a path",
    async (id) => {
      for (const [path, method] of [
        [`/api/ideas/${id}`, "GET"],
        [`/api/ideas/${id}`, "DELETE"],
        [`/api/ideas/${id}/events`, "GET"],
        [`/api/ideas/${id}/cancel`, "POST"],
      ] as const) {
        const res = await h.api(path, { method });
        expect(res.status).toBe(404);
        expect((await errorOf(res)).code).toBe("not_found");
      }
      const chat = await h.json(`/api/ideas/${id}/chat`, "POST", { message: "hi" });
      expect(chat.status).toBe(404);
    },
  );

  it("rejects a bad `after` with a 400", async () => {
    const meta = await create();
    expect((await h.api(`/api/ideas/${meta.id}/events?after=-1`)).status).toBe(400);
    expect((await h.api(`/api/ideas/${meta.id}/events?after=abc`)).status).toBe(400);
    expect((await h.api(`/api/ideas/${meta.id}/events?limit=0`)).status).toBe(400);
    expect((await h.api(`/api/ideas/${meta.id}/events?limit=100001`)).status).toBe(400);
  });

  it("pages GET /events with `limit` (default 2000) and `nextAfter`, null on the last page", async () => {
    const meta = await create();
    const notes = Array.from({ length: 2100 }, (_, i) =>
      h.catalyst.store.append(meta.id, null, {
        type: "notice",
        level: "info",
        kind: "t",
        message: `${i}`,
      }),
    );
    await Promise.all(notes);
    const page = async (query: string) => {
      const res = await h.api(`/api/ideas/${meta.id}/events${query}`);
      expect(res.status).toBe(200);
      return eventsResponseSchema.parse(await res.json());
    };
    const first = await page("");
    expect(first.events).toHaveLength(2000);
    expect(first.nextAfter).toBe(2000);
    const rest = await page("?after=2000");
    expect(rest.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 2001 + i));
    expect(rest.nextAfter).toBeNull();
    const small = await page("?after=10&limit=5");
    expect(small.events.map((e) => e.seq)).toEqual([11, 12, 13, 14, 15]);
    expect(small.nextAfter).toBe(15);
  });

  it("answers an unknown API path with a JSON 404", async () => {
    const res = await h.api("/api/nothing-here");
    expect(res.status).toBe(404);
    expect((await errorOf(res)).code).toBe("not_found");
  });
});

describe("runs through the API", () => {
  it("runs a chat: 202 with the run id, status chatting, events in the transcript, session saved", async () => {
    const meta = await create();
    const res = await h.json(`/api/ideas/${meta.id}/chat`, "POST", {
      message: "What should it do?",
    });
    expect(res.status).toBe(202);
    const { runId } = z.object({ runId: z.string() }).parse(await res.json());
    const run = await h.runner.nextRun();
    expect(run.spec).toMatchObject({ runId, ideaId: meta.id, mode: "chat", resumeSessionId: null });
    expect(run.spec.prompt).toContain("A kite that flies itself");
    expect(run.spec.prompt).toContain("What should it do?");
    run
      .started()
      .init("11111111-2222-4333-8444-555555555555")
      .text("It flies.")
      .result(0.25)
      .finish();
    await h.catalyst.runs.whenIdle();

    const after = ideaMetaSchema.parse(await (await h.api(`/api/ideas/${meta.id}`)).json());
    expect(after).toMatchObject({
      status: "chatting",
      sessionId: "11111111-2222-4333-8444-555555555555",
      runs: 1,
      totalCostUsd: 0.25,
      activeRunId: null,
    });
    const { events } = eventsResponseSchema.parse(
      await (await h.api(`/api/ideas/${meta.id}/events`)).json(),
    );
    expect(events.map((e) => e.event.type)).toEqual([
      "status_changed",
      "run_started",
      "init",
      "text",
      "result",
      "run_finished",
    ]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const started = events[1]?.event;
    // The transcript shows the person's words, not the idea context sent with them.
    expect(started?.type === "run_started" && started.prompt).toBe("What should it do?");
    const tail = eventsResponseSchema.parse(
      await (await h.api(`/api/ideas/${meta.id}/events?after=4`)).json(),
    );
    expect(tail.events.map((e) => e.seq)).toEqual([5, 6]);
  });

  it("refuses a second run of the same idea with 409 and deletion while running", async () => {
    const meta = await create();
    expect((await h.json(`/api/ideas/${meta.id}/chat`, "POST", { message: "one" })).status).toBe(
      202,
    );
    const busy = await h.json(`/api/ideas/${meta.id}/build`, "POST", {});
    expect(busy.status).toBe(409);
    expect((await errorOf(busy)).code).toBe("busy");
    const del = await h.api(`/api/ideas/${meta.id}`, { method: "DELETE" });
    expect(del.status).toBe(409);
    (await h.runner.nextRun()).started().finish();
  });

  it("refuses past MAX_CONCURRENT_RUNS with 429", async () => {
    await h.cleanup();
    h = await makeHarness({ maxConcurrentRuns: 2 });
    const ideas = [await create("a"), await create("b"), await create("c")];
    expect((await h.json(`/api/ideas/${ideas[0]?.id}/chat`, "POST", { message: "x" })).status).toBe(
      202,
    );
    expect((await h.json(`/api/ideas/${ideas[1]?.id}/chat`, "POST", { message: "x" })).status).toBe(
      202,
    );
    const third = await h.json(`/api/ideas/${ideas[2]?.id}/chat`, "POST", { message: "x" });
    expect(third.status).toBe(429);
    expect((await errorOf(third)).code).toBe("too_many_runs");
    (await h.runner.nextRun()).started().finish();
    (await h.runner.nextRun()).started().finish();
  });

  it("refuses an empty chat message with 400 and a too large one with 413", async () => {
    const meta = await create();
    expect((await h.json(`/api/ideas/${meta.id}/chat`, "POST", { message: "  " })).status).toBe(
      400,
    );
    const big = await h.json(`/api/ideas/${meta.id}/chat`, "POST", {
      message: "x".repeat(1024 * 1024 + 1),
    });
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("too_large");
    const huge = await h.api(`/api/ideas/${meta.id}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "x".repeat(9 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
  });

  it("cancels: 202, a cancel_requested event, the runner told once", async () => {
    const meta = await create();
    const { runId } = z
      .object({ runId: z.string() })
      .parse(await (await h.json(`/api/ideas/${meta.id}/chat`, "POST", { message: "go" })).json());
    const run = await h.runner.nextRun();
    run.started();
    const res = await h.api(`/api/ideas/${meta.id}/cancel`, { method: "POST" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ runId });
    await h.catalyst.runs.whenIdle();
    expect(run.cancelCalls).toBe(1);
    const { events } = eventsResponseSchema.parse(
      await (await h.api(`/api/ideas/${meta.id}/events`)).json(),
    );
    expect(events.map((e) => e.event.type)).toContain("cancel_requested");
    expect(events.at(-1)?.event).toMatchObject({ type: "run_finished", outcome: "cancelled" });
    const idle = await h.api(`/api/ideas/${meta.id}/cancel`, { method: "POST" });
    expect(await idle.json()).toEqual({ runId: null });
  });

  it("keeps every change when PATCHes, a run's updates and DELETE attempts hit one idea at once", async () => {
    const meta = await create();
    expect((await h.json(`/api/ideas/${meta.id}/chat`, "POST", { message: "go" })).status).toBe(
      202,
    );
    const run = await h.runner.nextRun();
    run.started().init("11111111-2222-4333-8444-555555555555");
    const patches = Array.from({ length: 20 }, (_, i) =>
      h.json(`/api/ideas/${meta.id}`, "PATCH", { description: `d${i}` }),
    );
    const deletes = Array.from({ length: 5 }, () =>
      h.api(`/api/ideas/${meta.id}`, { method: "DELETE" }),
    );
    for (let i = 0; i < 50; i++) run.text(`t${i}`);
    run.result(0.5).finish();
    const answers = await Promise.all([...patches, ...deletes]);
    expect(answers.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(answers.slice(20).map((r) => r.status)).toEqual(Array(5).fill(409));
    await h.catalyst.runs.whenIdle();
    const after = ideaMetaSchema.parse(await (await h.api(`/api/ideas/${meta.id}`)).json());
    expect(after).toMatchObject({
      title: meta.title,
      // One of the patches (they are applied one at a time; which is last is up to the scheduler).
      description: expect.stringMatching(/^d\d+$/),
      sessionId: "11111111-2222-4333-8444-555555555555",
      totalCostUsd: 0.5,
      runs: 1,
      activeRunId: null,
      status: "chatting",
    });
    const events = eventsResponseSchema.parse(
      await (await h.api(`/api/ideas/${meta.id}/events`)).json(),
    );
    expect(events.events.map((e) => e.seq)).toEqual(
      Array.from({ length: events.events.length }, (_, i) => i + 1),
    );
    // Once the run is over, DELETE goes through.
    expect((await h.api(`/api/ideas/${meta.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await h.api(`/api/ideas/${meta.id}`)).status).toBe(404);
  });
});
