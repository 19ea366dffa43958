// The approvals API with app.request and the FakeRunner (whose runs use the real control protocol):
// answers (404 / 409 / 400), the per-idea policy, the approval timeout, chat during a run.
import { apiErrorSchema, ideaMetaSchema, type TranscriptEvent } from "@catalyst/shared";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import type { FakeRun } from "../../test/server-fake-runner.js";
import { readAll } from "./read-all.test-helper.js";

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

async function running(opts: Parameters<typeof makeHarness>[0] = {}) {
  h = await makeHarness(opts);
  const res = await h.json("/api/ideas", "POST", { title: "Kite" });
  const idea = ideaMetaSchema.parse(await res.json());
  expect((await h.json(`/api/ideas/${idea.id}/build`, "POST", {})).status).toBe(202);
  const run = (await h.runner.nextRun()).started();
  return { id: idea.id, run };
}

async function transcript(id: string): Promise<TranscriptEvent[]> {
  return (await readAll(h.catalyst.store, id)).map((e) => e.event);
}
/** Waits until the transcript holds an event `pred` accepts (the run service appends in order). */
async function until(id: string, pred: (e: TranscriptEvent) => boolean): Promise<TranscriptEvent> {
  for (let i = 0; i < 200; i++) {
    const hit = (await transcript(id)).find(pred);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error("the transcript never got that event");
}
const answered = (requestId: string) => (e: TranscriptEvent) =>
  e.type === "permission_answered" && e.requestId === requestId;
const post = (id: string, requestId: string, body: unknown) =>
  h.json(`/api/ideas/${id}/permissions/${requestId}`, "POST", body);
const lineSchema = z.looseObject({ type: z.string() });
const responses = (run: FakeRun) =>
  run.lines
    .map((l) => lineSchema.parse(JSON.parse(l)))
    .filter((l) => l.type === "control_response");

describe("POST /api/ideas/:id/permissions/:requestId", () => {
  it("answers a waiting request: the CLI gets the answer, the transcript records who gave it", async () => {
    const { id, run } = await running();
    run.permissionRequest("r1");
    await until(id, (e) => e.type === "permission_request");
    const res = await post(id, "r1", { decision: "allow", scope: "always" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ runId: run.spec.runId, requestId: "r1" });
    expect(await until(id, answered("r1"))).toEqual({
      type: "permission_answered",
      runId: run.spec.runId,
      requestId: "r1",
      decision: "allow",
      scope: "always",
      by: "user",
    });
    expect(responses(run)).toMatchObject([
      {
        response: {
          request_id: "r1",
          response: { behavior: "allow", updatedPermissions: [{ type: "addRules" }] },
        },
      },
    ]);
    run.finish();
  });

  it("is 409 once answered (during the run and after it), 404 for a request or idea it does not know, 400 for a bad body", async () => {
    const { id, run } = await running();
    run.permissionRequest("r1");
    await until(id, (e) => e.type === "permission_request");
    expect((await post(id, "r1", { decision: "deny" })).status).toBe(200);
    const again = await post(id, "r1", { decision: "allow" });
    expect(again.status).toBe(409);
    expect(apiErrorSchema.parse(await again.json()).error.code).toBe("already_answered");
    expect((await post(id, "nope", { decision: "allow" })).status).toBe(404);
    expect((await post("AAAAAAAAAAAAAAAAAAAAA", "r1", { decision: "allow" })).status).toBe(404);
    expect((await post(id, "r1", { decision: "yes" })).status).toBe(400);
    expect((await post(id, "r1", { decision: "allow", scope: "forever" })).status).toBe(400);
    // Answers are bounded like a chat message: a few questions, not 8 MiB of them.
    const many = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`q${i}`, "x"]));
    expect((await post(id, "r1", { decision: "allow", answers: many })).status).toBe(400);
    const longKey = { ["?".repeat(20_001)]: "x" };
    expect((await post(id, "r1", { decision: "allow", answers: longKey })).status).toBe(400);
    run.finish();
    await h.catalyst.runs.whenIdle();
    expect((await post(id, "r1", { decision: "allow" })).status).toBe(409);
  });

  it("a request still waiting when the run ends is closed as run_ended and then answers 409", async () => {
    const { id, run } = await running();
    run.permissionRequest("left");
    await until(id, (e) => e.type === "permission_request");
    run.finish("failed", 1);
    expect(await until(id, answered("left"))).toMatchObject({ decision: "deny", by: "run_ended" });
    await h.catalyst.runs.whenIdle();
    expect((await post(id, "left", { decision: "allow" })).status).toBe(409);
  });

  it("nobody answering: denied after APPROVAL_TIMEOUT_MS with a message saying so", async () => {
    const { id, run } = await running();
    run.permissionRequest("slow");
    await until(id, (e) => e.type === "permission_request");
    run.clock.advance(60_000);
    const e = await until(id, answered("slow"));
    expect(e).toMatchObject({ decision: "deny", by: "timeout" });
    expect(e.type === "permission_answered" && e.message).toMatch(/Nobody answered/);
    run.finish();
  });
});

describe("the approvals policy", () => {
  it("shows the server default, takes ask|auto in PATCH, and refuses anything else", async () => {
    h = await makeHarness({ defaultApprovals: "auto" });
    const idea = ideaMetaSchema.parse(
      await (await h.json("/api/ideas", "POST", { title: "Kite" })).json(),
    );
    expect(idea.approvals).toBe("auto");
    const patched = await h.json(`/api/ideas/${idea.id}`, "PATCH", { approvals: "ask" });
    expect(ideaMetaSchema.parse(await patched.json()).approvals).toBe("ask");
    expect((await h.json(`/api/ideas/${idea.id}`, "PATCH", { approvals: "maybe" })).status).toBe(
      400,
    );
    const got = ideaMetaSchema.parse(await (await h.api(`/api/ideas/${idea.id}`)).json());
    expect(got.approvals).toBe("ask");
  });

  it("auto answers tool requests by itself (by policy), never a question; switching to auto answers what waits", async () => {
    const { id, run } = await running();
    run.permissionRequest("before");
    await until(id, (e) => e.type === "permission_request");
    await h.json(`/api/ideas/${id}`, "PATCH", { approvals: "auto" });
    expect(await until(id, answered("before"))).toMatchObject({
      decision: "allow",
      scope: "once",
      by: "policy",
    });
    run.permissionRequest("after");
    expect(await until(id, answered("after"))).toMatchObject({ by: "policy" });
    run.permissionRequest("question", {
      toolName: "AskUserQuestion",
      requiresUserInteraction: true,
      input: { questions: [{ question: "Which?", options: [{ label: "A" }] }] },
    });
    await until(id, (e) => e.type === "permission_request" && e.requestId === "question");
    await new Promise((r) => setTimeout(r, 20));
    expect((await transcript(id)).some(answered("question"))).toBe(false);
    const res = await post(id, "question", { decision: "allow", answers: { "Which?": "A" } });
    expect(res.status).toBe(200);
    expect(await until(id, answered("question"))).toMatchObject({
      by: "user",
      answers: { "Which?": "A" },
    });
    run.finish();
  });
});

describe("the approvals policy in a chat", () => {
  it("auto does not answer a chat's requests: a read outside the project still waits for the person", async () => {
    h = await makeHarness({ defaultApprovals: "auto" });
    const idea = ideaMetaSchema.parse(
      await (await h.json("/api/ideas", "POST", { title: "Kite" })).json(),
    );
    expect((await h.json(`/api/ideas/${idea.id}/chat`, "POST", { message: "hi" })).status).toBe(
      202,
    );
    const run = (await h.runner.nextRun()).started();
    run.permissionRequest("outside", {
      toolName: "Read",
      input: { file_path: "/root/.ssh/id_rsa" },
    });
    await until(idea.id, (e) => e.type === "permission_request");
    await new Promise((r) => setTimeout(r, 20));
    expect((await transcript(idea.id)).some(answered("outside"))).toBe(false);
    expect(responses(run)).toEqual([]);
    run.finish();
  });
});

describe("messages during a run", () => {
  it("a chat goes into the running run (202 queued, same runId); a build is 409", async () => {
    const { id, run } = await running();
    const res = await h.json(`/api/ideas/${id}/chat`, "POST", { message: "also add tests" });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ runId: run.spec.runId, queued: true });
    expect(run.sent).toEqual(["also add tests"]);
    expect(await until(id, (e) => e.type === "user_message_queued")).toEqual({
      type: "user_message_queued",
      runId: run.spec.runId,
      message: "also add tests",
    });
    expect((await h.json(`/api/ideas/${id}/build`, "POST", {})).status).toBe(409);
    expect(h.runner.runs).toHaveLength(1);
    run.finish();
  });

  it("a chat that arrives as the run ends waits for it and starts the next run", async () => {
    const { id, run } = await running();
    run.refuseMessages = true;
    const pending = h.json(`/api/ideas/${id}/chat`, "POST", { message: "one more" });
    await new Promise((r) => setTimeout(r, 10));
    run.finish();
    const next = (await h.runner.nextRun()).started();
    const res = await pending;
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ runId: next.spec.runId });
    expect(next.spec.mode).toBe("chat");
    next.finish();
  });
});
