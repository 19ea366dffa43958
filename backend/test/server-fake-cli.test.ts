// The whole server with the real local runner and scripts/fake-claude as the CLI.
import { ideaMetaSchema, type IdeaMeta, type ServerMessage } from "@catalyst/shared";
import { spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createLocalExecutor } from "../src/exec/local.js";
import { markerAlive } from "./runs-helpers.js";
import { useFakeCliServer } from "./fake-cli-server.js";
import { api, bearer } from "./server-start.js";
import { connect, isEvent, type TestClient } from "./server-ws-client.js";

const echoSchema = z.looseObject({ cwd: z.string(), sessionId: z.string(), resumed: z.boolean() });

const server = useFakeCliServer();
const start = (env?: Record<string, string>) => server.start(env);

async function createIdea(title = "Kite"): Promise<IdeaMeta> {
  return ideaMetaSchema.parse(
    await (await api(server.srv.url, "/api/ideas", "POST", { title })).json(),
  );
}
const getIdea = async (id: string) =>
  ideaMetaSchema.parse(await (await api(server.srv.url, `/api/ideas/${id}`)).json());

async function subscribed(ideaId: string): Promise<TestClient> {
  const c = await connect(server.srv.url, { headers: bearer });
  c.send({ type: "subscribe", ideaId });
  await c.waitFor((m) => m.type === "subscribed");
  return c;
}

/** Sends a message and waits for that run's run_finished frame. */
async function runAndWait(c: TestClient, ideaId: string, kind: "chat" | "build", message: string) {
  const res = await api(server.srv.url, `/api/ideas/${ideaId}/${kind}`, "POST", { message });
  expect(res.status).toBe(202);
  z.object({ runId: z.string() }).parse(await res.json());
  const before = c.messages.length;
  return c.waitFor(
    (m) => c.messages.indexOf(m) >= before && m.type === "event" && m.event.type === "run_finished",
  );
}

function lastEcho(c: TestClient) {
  const texts = c.messages.flatMap((m) =>
    m.type === "event" && m.event.type === "text" ? [m.event.text] : [],
  );
  return echoSchema.parse(JSON.parse(texts.at(-1) ?? "null"));
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("server with the fake CLI", () => {
  it("chats then builds one idea: status changes, session saved then resumed, cwd is the idea's project folder", async () => {
    await start();
    const idea = await createIdea();
    const c = await subscribed(idea.id);

    const chat = await runAndWait(c, idea.id, "chat", "@fake echo-prompt");
    expect(chat).toMatchObject({ event: { outcome: "completed" } });
    const first = lastEcho(c);
    expect(first.cwd).toBe(join(server.root, "remote", "ideas", idea.id, "project"));
    expect(first.resumed).toBe(false);
    expect(await getIdea(idea.id)).toMatchObject({
      status: "chatting",
      sessionId: first.sessionId,
      runs: 1,
      activeRunId: null,
    });

    const build = await runAndWait(c, idea.id, "build", "@fake echo-prompt");
    expect(build).toMatchObject({ event: { outcome: "completed" } });
    const second = lastEcho(c);
    expect(second).toMatchObject({ resumed: true, sessionId: first.sessionId, cwd: first.cwd });
    // The status settles just after run_finished goes out, when the run is cleared from the meta.
    await expect.poll(async () => (await getIdea(idea.id)).status).toBe("built");
    const meta = await getIdea(idea.id);
    expect(meta).toMatchObject({ status: "built", sessionId: first.sessionId, runs: 2 });
    expect(meta.totalCostUsd).toBeGreaterThan(0);

    const types = c.messages.flatMap((m) => (m.type === "event" ? [m.event.type] : []));
    // captured -> chatting, chatting -> building, building -> built.
    await expect
      .poll(() => c.messages.filter((m) => m.type === "event" && m.event.type === "status_changed"))
      .toHaveLength(3);
    expect(types.filter((t) => t === "run_started")).toHaveLength(2);
    expect(c.seqs(idea.id)).toEqual(range(1, c.seqs(idea.id).length));
    c.ws.close();
  });

  it("starts a new conversation, and says so, when the saved one is gone on the target", async () => {
    await start();
    const idea = await createIdea();
    const c = await subscribed(idea.id);
    await runAndWait(c, idea.id, "chat", "@fake hello");
    const old = (await getIdea(idea.id)).sessionId;
    await rm(join(server.root, "home", ".fake-claude"), { recursive: true, force: true });

    const before = c.messages.length;
    expect(
      (
        await api(server.srv.url, `/api/ideas/${idea.id}/chat`, "POST", {
          message: "@fake echo-prompt",
        })
      ).status,
    ).toBe(202);
    // The first try fails (unknown session); the retry without --resume completes.
    await c.waitFor(
      (m) =>
        c.messages.indexOf(m) >= before &&
        m.type === "event" &&
        m.event.type === "run_finished" &&
        m.event.outcome === "completed",
    );
    const notice = c.messages.find(
      (m) => m.type === "event" && m.event.type === "notice" && m.event.kind === "session_reset",
    );
    expect(notice).toBeDefined();
    const now = await getIdea(idea.id);
    expect(now.sessionId).not.toBeNull();
    expect(now.sessionId).not.toBe(old);
    expect(lastEcho(c)).toMatchObject({ resumed: false, sessionId: now.sessionId });
    c.ws.close();
  });

  it("replays to a viewer that reconnects mid-run: nothing lost, nothing doubled", async () => {
    await start();
    const idea = await createIdea();
    const a = await subscribed(idea.id);
    await api(server.srv.url, `/api/ideas/${idea.id}/chat`, "POST", {
      message: "@fake slow interval=10 count=40",
    });
    await a.waitFor((m) => m.type === "event" && m.seq >= 8);
    const b = await connect(server.srv.url, { headers: bearer });
    b.send({ type: "subscribe", ideaId: idea.id, after: 5 });
    await a.waitFor(isEvent(idea.id, "run_finished"));
    await b.waitFor(isEvent(idea.id, "run_finished"));
    const last = a.seqs(idea.id).at(-1) ?? 0;
    expect(a.seqs(idea.id)).toEqual(range(1, last));
    expect(b.seqs(idea.id)).toEqual(range(6, last));
    const frames = (c: TestClient) =>
      c.messages.flatMap((m: ServerMessage) =>
        m.type === "event" && m.seq > 5 ? [JSON.stringify(m)] : [],
      );
    expect(frames(b)).toEqual(frames(a));
    a.ws.close();
    b.ws.close();
  });

  it("cancels a run: cancel_requested, then run_finished cancelled", async () => {
    await start();
    const idea = await createIdea();
    const c = await subscribed(idea.id);
    await api(server.srv.url, `/api/ideas/${idea.id}/chat`, "POST", {
      message: "@fake slow interval=200 count=100",
    });
    await c.waitFor(isEvent(idea.id, "text_delta"));
    expect((await api(server.srv.url, `/api/ideas/${idea.id}/cancel`, "POST")).status).toBe(202);
    const finished = await c.waitFor(isEvent(idea.id, "run_finished"));
    expect(finished, JSON.stringify(c.messages.slice(-6))).toMatchObject({
      event: { outcome: "cancelled" },
    });
    expect(c.messages.some((m) => m.type === "event" && m.event.type === "cancel_requested")).toBe(
      true,
    );
    expect((await getIdea(idea.id)).activeRunId).toBeNull();
    c.ws.close();
  });

  it("refuses a build of a busy idea (409), queues a chat into its run, and runs past MAX_CONCURRENT_RUNS (429)", async () => {
    await start({ MAX_CONCURRENT_RUNS: "1" });
    const one = await createIdea("one");
    const two = await createIdea("two");
    const c = await subscribed(one.id);
    const first = await api(server.srv.url, `/api/ideas/${one.id}/chat`, "POST", {
      message: "@fake slow interval=100 count=50",
    });
    expect(first.status).toBe(202);
    const { runId } = z.object({ runId: z.string() }).parse(await first.json());
    expect(
      (await api(server.srv.url, `/api/ideas/${one.id}/build`, "POST", { message: "again" }))
        .status,
    ).toBe(409);
    const queued = await api(server.srv.url, `/api/ideas/${one.id}/chat`, "POST", {
      message: "again",
    });
    expect(queued.status).toBe(202);
    expect(await queued.json()).toEqual({ runId, queued: true });
    expect(
      (await api(server.srv.url, `/api/ideas/${two.id}/chat`, "POST", { message: "other" })).status,
    ).toBe(429);
    await api(server.srv.url, `/api/ideas/${one.id}/cancel`, "POST");
    await c.waitFor(isEvent(one.id, "run_finished"));
    c.ws.close();
  });

  it("after a crash mid-run, the next start sweeps what the run left on the target", async () => {
    await start();
    const idea = await createIdea();
    await server.stop();
    // What a server killed mid-run leaves: meta naming the run, and the run's process (in its
    // own session) carrying the run's marker.
    const runId = `crashed-${idea.id}`;
    const metaPath = join(server.root, "data", "ideas", idea.id, "meta.json");
    const meta = ideaMetaSchema.parse(JSON.parse(await readFile(metaPath, "utf8")));
    await writeFile(metaPath, JSON.stringify({ ...meta, activeRunId: runId }));
    const left = spawn("sleep", ["600"], {
      env: { ...process.env, CATALYST_RUN_ID: runId },
      detached: true,
      stdio: "ignore",
    });
    const gone = new Promise((r) => left.once("exit", (_code, signal) => r(signal)));
    const local = createLocalExecutor();
    try {
      expect(await markerAlive(local, runId)).toBe(true);
      await start();
      // Start-up does not wait for the sweep (an unreachable target would hold it up).
      expect(await gone).toBe("SIGKILL");
      expect(await markerAlive(local, runId)).toBe(false);
      expect(await getIdea(idea.id)).toMatchObject({ activeRunId: null });
    } finally {
      left.kill("SIGKILL");
    }
  });
});
