// The whole server, the local runner and scripts/fake-claude speaking the live-session protocol:
// approvals over HTTP and WebSocket, "always", the auto policy, questions, messages during a run.
import {
  ideaMetaSchema,
  runAcceptedSchema,
  type PermissionRequestEvent,
  type ServerMessage,
  type TranscriptEvent,
} from "@catalyst/shared";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useFakeCliServer } from "./fake-cli-server.js";
import { api, bearer } from "./server-start.js";
import { connect, type TestClient } from "./server-ws-client.js";

const server = useFakeCliServer();
const start = (env?: Record<string, string>) => server.start(env);

async function idea(): Promise<{ id: string; client: TestClient; project: string }> {
  const res = await api(server.srv.url, "/api/ideas", "POST", { title: "Kite" });
  const { id } = ideaMetaSchema.parse(await res.json());
  const client = await connect(server.srv.url, { headers: bearer });
  client.send({ type: "subscribe", ideaId: id });
  await client.waitFor((m) => m.type === "subscribed");
  return { id, client, project: join(server.root, "remote", "ideas", id, "project") };
}

const events = (c: TestClient): TranscriptEvent[] =>
  c.messages.flatMap((m) => (m.type === "event" ? [m.event] : []));
/** The frame carrying the n-th event of `type` the client received. */
const nth =
  (c: TestClient, type: TranscriptEvent["type"], n = 1) =>
  (m: ServerMessage): boolean =>
    m.type === "event" &&
    m.event.type === type &&
    c.messages
      .slice(0, c.messages.indexOf(m) + 1)
      .filter((x) => x.type === "event" && x.event.type === type).length === n;

async function waitRequest(c: TestClient, n = 1): Promise<PermissionRequestEvent> {
  const m = await c.waitFor(nth(c, "permission_request", n));
  if (m.type !== "event" || m.event.type !== "permission_request") throw new Error("not a request");
  return m.event;
}

/** A build's checkpoint is taken after its run_finished: the idea is free once activeRunId is null. */
async function runOver(ideaId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const meta = ideaMetaSchema.parse(
      await (await api(server.srv.url, `/api/ideas/${ideaId}`)).json(),
    );
    if (!meta.activeRunId) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the run never ended");
}

const answer = (ideaId: string, requestId: string, body: unknown) =>
  api(server.srv.url, `/api/ideas/${ideaId}/permissions/${requestId}`, "POST", body);

describe("live sessions with the fake CLI", () => {
  it("asks before a build's Bash command; allow runs it in the project; a second answer is 409, an unknown one 404", async () => {
    await start();
    const { id, client, project } = await idea();
    await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo built > built.txt"',
    });
    const req = await waitRequest(client);
    expect(req).toMatchObject({ toolName: "Bash", input: { command: "echo built > built.txt" } });
    const res = await answer(id, req.requestId, { decision: "allow", scope: "once" });
    expect(res.status).toBe(200);
    expect((await answer(id, req.requestId, { decision: "deny" })).status).toBe(409);
    expect((await answer(id, "no-such-request", { decision: "deny" })).status).toBe(404);
    expect((await answer(id, req.requestId, { decision: "maybe" })).status).toBe(400);
    await client.waitFor(nth(client, "run_finished"));
    expect(readFileSync(join(project, "built.txt"), "utf8")).toBe("built\n");
    expect(events(client).find((e) => e.type === "permission_answered")).toMatchObject({
      requestId: req.requestId,
      decision: "allow",
      by: "user",
    });
    expect(events(client).find((e) => e.type === "run_finished")).toMatchObject({
      outcome: "completed",
    });
    // After the run, the answered request is still a 409, not a 404.
    expect((await answer(id, req.requestId, { decision: "deny" })).status).toBe(409);
    client.ws.close();
  });

  it("answers through a WebSocket frame with the same code: a deny reaches the model with its message", async () => {
    await start();
    const { id, client, project } = await idea();
    await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="touch nope.txt"',
    });
    const req = await waitRequest(client);
    client.send({
      type: "permission_answer",
      ideaId: id,
      requestId: req.requestId,
      decision: "deny",
      scope: "once",
      message: "not now",
    });
    await client.waitFor(nth(client, "run_finished"));
    expect(existsSync(join(project, "nope.txt"))).toBe(false);
    expect(events(client).find((e) => e.type === "tool_result")).toMatchObject({
      content: "not now",
      isError: true,
    });
    client.send({
      type: "permission_answer",
      ideaId: id,
      requestId: req.requestId,
      decision: "allow",
      scope: "once",
    });
    const err = await client.waitFor((m) => m.type === "error");
    expect(err).toMatchObject({ code: "already_answered" });
    client.ws.close();
  });

  it("always-allow keeps the rule for the idea: the next run does not ask again", async () => {
    await start();
    const { id, client, project } = await idea();
    await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo one >> log.txt"',
    });
    const req = await waitRequest(client);
    expect(req.alwaysRules).toEqual(["Bash(echo one *)"]);
    await answer(id, req.requestId, { decision: "allow", scope: "always" });
    await client.waitFor(nth(client, "run_finished"));
    await runOver(id);
    const second = await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo one two >> log.txt"',
    });
    expect(second.status).toBe(202);
    await client.waitFor(nth(client, "run_finished", 2));
    expect(events(client).filter((e) => e.type === "permission_request")).toHaveLength(1);
    expect(readFileSync(join(project, "log.txt"), "utf8")).toBe("one\none two\n");
    client.ws.close();
  });

  it("the auto policy allows tool calls by itself, but a question still goes to the person", async () => {
    await start();
    const { id, client, project } = await idea();
    const patched = await api(server.srv.url, `/api/ideas/${id}`, "PATCH", { approvals: "auto" });
    expect(await patched.json()).toMatchObject({ approvals: "auto" });
    await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo auto > auto.txt"\n@fake question',
    });
    const question = await waitRequest(client, 2);
    expect(question).toMatchObject({ toolName: "AskUserQuestion", requiresUserInteraction: true });
    expect(events(client).find((e) => e.type === "permission_answered")).toMatchObject({
      decision: "allow",
      by: "policy",
    });
    expect(readFileSync(join(project, "auto.txt"), "utf8")).toBe("auto\n");
    const q = (question.input.questions as { question: string }[])[0]?.question ?? "";
    await answer(id, question.requestId, {
      decision: "allow",
      scope: "once",
      answers: { [q]: "Postgres" },
    });
    await client.waitFor(nth(client, "run_finished"));
    expect(events(client).some((e) => e.type === "text" && e.text === "You chose: Postgres")).toBe(
      true,
    );
    client.ws.close();
  });

  it("a chat message during a run goes into it (one CLI), and is answered after the current turn", async () => {
    await start();
    const { id, client } = await idea();
    const first = await api(server.srv.url, `/api/ideas/${id}/chat`, "POST", {
      message: "@fake slow interval=100 count=5",
    });
    const { runId } = runAcceptedSchema.parse(await first.json());
    await client.waitFor(nth(client, "init"));
    client.send({ type: "chat", ideaId: id, message: "@fake hello text=second" });
    await client.waitFor(nth(client, "user_message_queued"));
    await client.waitFor(nth(client, "run_finished"));
    const all = events(client);
    expect(all.filter((e) => e.type === "run_started")).toHaveLength(1);
    expect(all.filter((e) => e.type === "result")).toHaveLength(2);
    expect(all.find((e) => e.type === "user_message_queued")).toEqual({
      type: "user_message_queued",
      runId,
      message: "@fake hello text=second",
    });
    expect(all.find((e) => e.type === "run_finished")).toMatchObject({ outcome: "completed" });
    client.ws.close();
  });

  it("cancel while a request waits: the CLI's interrupt ends the run and the request is closed as run_ended", async () => {
    await start();
    const { id, client } = await idea();
    await api(server.srv.url, `/api/ideas/${id}/build`, "POST", {
      message: '@fake tool name=Bash command="echo x"',
    });
    const req = await waitRequest(client);
    await api(server.srv.url, `/api/ideas/${id}/cancel`, "POST");
    await client.waitFor(nth(client, "run_finished"));
    const all = events(client);
    expect(all.find((e) => e.type === "permission_answered")).toMatchObject({
      requestId: req.requestId,
      by: "run_ended",
    });
    expect(all.find((e) => e.type === "run_finished")).toMatchObject({
      outcome: "cancelled",
      signal: null,
    });
    client.ws.close();
  });
});
