import { ideaMetaSchema, type IdeaMeta } from "@catalyst/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, bearer, startTestServer, TEST_KEY } from "./server-start.js";
import { FakeRunner } from "./server-fake-runner.js";
import { connect, isEvent, refusedStatus } from "./server-ws-client.js";

let runner: FakeRunner;
let srv: Awaited<ReturnType<typeof startTestServer>>;
beforeEach(async () => {
  runner = new FakeRunner();
  srv = await startTestServer(runner);
});
afterEach(async () => {
  await srv.cleanup();
});

async function createIdea(title = "Kite"): Promise<IdeaMeta> {
  return ideaMetaSchema.parse(await (await api(srv.url, "/api/ideas", "POST", { title })).json());
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("WebSocket upgrade", () => {
  it("refuses no credentials (401), a wrong key (401), another site's Origin (403), and a cookie without Origin (403)", async () => {
    expect(await refusedStatus(srv.url)).toBe(401);
    expect(
      await refusedStatus(srv.url, { headers: { authorization: "Bearer wrong-key-wrong" } }),
    ).toBe(401);
    expect(await refusedStatus(srv.url, { headers: bearer, origin: "http://evil.example" })).toBe(
      403,
    );
    const login = await fetch(`${srv.url}/api/login`, {
      method: "POST",
      body: JSON.stringify({ key: TEST_KEY }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(await refusedStatus(srv.url, { headers: { cookie } })).toBe(403);
    expect(
      await refusedStatus(srv.url, { headers: { cookie }, origin: "http://evil.example" }),
    ).toBe(403);
    // The browser case: the session cookie and this server's own Origin.
    const ok = await connect(srv.url, { headers: { cookie }, origin: srv.url });
    ok.ws.close();
  });

  it("closes a browser's socket when its session logs out", async () => {
    const login = await fetch(`${srv.url}/api/login`, {
      method: "POST",
      body: JSON.stringify({ key: TEST_KEY }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const mine = await connect(srv.url, { headers: { cookie }, origin: srv.url });
    const script = await connect(srv.url, { headers: bearer });
    await fetch(`${srv.url}/api/logout`, { method: "POST", headers: { cookie } });
    expect((await mine.closed).code).toBe(4001);
    expect(script.ws.readyState).toBe(script.ws.OPEN);
    script.ws.close();
  });

  it("accepts Bearer without Origin (scripts)", async () => {
    const c = await connect(srv.url, { headers: bearer });
    c.ws.close();
  });
});

describe("WebSocket frames", () => {
  it("answers bad frames with error frames and keeps the socket open", async () => {
    const c = await connect(srv.url, { headers: bearer });
    c.send("not json");
    c.send({ type: "dance" });
    c.send({ type: "subscribe", ideaId: "../../etc/passwd" });
    c.send({ type: "subscribe", ideaId: "abcdefghijklmnopqrstu" });
    c.send({ type: "chat", ideaId: "abcdefghijklmnopqrstu" });
    await expect.poll(() => c.messages.length).toBe(5);
    // The unknown idea's answer comes after its (async) transcript lookup, so compare as a set.
    expect(c.messages.map((m) => (m.type === "error" ? m.code : m.type)).sort()).toEqual([
      "bad_request",
      "bad_request",
      "bad_request",
      "bad_request",
      "not_found",
    ]);
    const idea = await createIdea();
    c.send({ type: "subscribe", ideaId: idea.id });
    await c.waitFor((m) => m.type === "subscribed" && m.ideaId === idea.id);
    c.ws.close();
  });

  it("starts a chat from a frame and refuses a second one as busy", async () => {
    const idea = await createIdea();
    const c = await connect(srv.url, { headers: bearer });
    c.send({ type: "subscribe", ideaId: idea.id });
    await c.waitFor((m) => m.type === "subscribed");
    c.send({ type: "chat", ideaId: idea.id, message: "hello" });
    const run = await runner.nextRun();
    c.send({ type: "build", ideaId: idea.id });
    const busy = await c.waitFor((m) => m.type === "error");
    expect(busy).toMatchObject({ ideaId: idea.id, code: "busy" });
    c.send({ type: "cancel", ideaId: idea.id });
    await c.waitFor(isEvent(idea.id, "run_finished"));
    expect(run.cancelCalls).toBe(1);
    c.ws.close();
  });

  it("tells every viewer when an idea changes", async () => {
    const c = await connect(srv.url, { headers: bearer });
    const idea = await createIdea();
    await c.waitFor((m) => m.type === "idea_changed" && m.ideaId === idea.id);
    await api(srv.url, `/api/ideas/${idea.id}`, "DELETE");
    await c.waitFor((m) => m.type === "idea_changed" && m.ideaId === idea.id && m.deleted === true);
    c.ws.close();
  });
});

describe("relay", () => {
  it("replays after a reconnect mid-run and goes on live: nothing lost, nothing doubled, same order for all", async () => {
    const idea = await createIdea();
    const a = await connect(srv.url, { headers: bearer });
    a.send({ type: "subscribe", ideaId: idea.id });
    await a.waitFor((m) => m.type === "subscribed");
    await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", { message: "go" });
    const run = await runner.nextRun();
    run.started();
    for (let i = 0; i < 30; i++) run.text(`line ${i}`);
    await a.waitFor((m) => m.type === "event" && m.seq === 32);

    // B connects mid-run having seen up to seq 10, while the run keeps writing.
    const b = await connect(srv.url, { headers: bearer });
    b.send({ type: "subscribe", ideaId: idea.id, after: 10 });
    for (let i = 30; i < 200; i++) run.text(`line ${i}`);
    const subscribed = await b.waitFor((m) => m.type === "subscribed");
    for (let i = 200; i < 300; i++) run.text(`line ${i}`);
    run.result(0.01).finish();
    await a.waitFor(isEvent(idea.id, "run_finished"));
    await b.waitFor(isEvent(idea.id, "run_finished"));

    const last = a.seqs(idea.id).at(-1) ?? 0;
    expect(a.seqs(idea.id)).toEqual(range(1, last));
    expect(b.seqs(idea.id)).toEqual(range(11, last));
    expect(subscribed.type === "subscribed" && subscribed.lastSeq).toBeGreaterThanOrEqual(32);
    // Same events, same order, for both viewers.
    const texts = (c: typeof a) =>
      c.messages.flatMap((m) =>
        m.type === "event" && m.seq > 10 ? [JSON.stringify(m.event)] : [],
      );
    expect(texts(b)).toEqual(texts(a));
    a.ws.close();
    b.ws.close();
  });

  it("drops a viewer that does not read, without holding up the run or the other viewer", async () => {
    await srv.cleanup();
    runner = new FakeRunner();
    srv = await startTestServer(runner, {}, { relay: { maxBufferedBytes: 1024 * 1024 } });
    const idea = await createIdea();
    const fast = await connect(srv.url, { headers: bearer });
    const slow = await connect(srv.url, { headers: bearer });
    for (const c of [fast, slow]) {
      c.send({ type: "subscribe", ideaId: idea.id });
      await c.waitFor((m) => m.type === "subscribed");
    }
    slow.ws.pause(); // stops reading its socket: the kernel buffers fill, then the server's queue grows
    await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", { message: "go" });
    const run = await runner.nextRun();
    run.started();
    const chunk = "x".repeat(64 * 1024);
    // Kernel socket buffers can hold tens of MB on loopback (tcp_rmem max is often 32 MiB): keep
    // writing until the server has dropped the slow viewer, in steps the fast one confirms.
    let sent = 0;
    while (srv.relay.clientCount() === 2 && sent < 8000) {
      for (let k = 0; k < 32; k++) run.text(`${sent++} ${chunk}`);
      // status_changed and run_started are seqs 1 and 2: text n is seq n + 3.
      await fast.waitFor((m) => m.type === "event" && m.seq >= sent + 2);
    }
    expect(srv.relay.clientCount()).toBe(1);
    run.finish();
    const finished = await fast.waitFor(isEvent(idea.id, "run_finished"));
    expect(fast.seqs(idea.id)).toEqual(range(1, finished.type === "event" ? finished.seq : 0));
    slow.ws.resume();
    const { code } = await slow.closed;
    expect(code).toBe(1006); // terminated, no close handshake
    expect(slow.seqs(idea.id).length).toBeLessThan(fast.seqs(idea.id).length);
    fast.ws.close();
  });

  it("drops a client that stops answering pings", async () => {
    await srv.cleanup();
    runner = new FakeRunner();
    srv = await startTestServer(runner, {}, { relay: { heartbeatMs: 50 } });
    const mute = await connect(srv.url, { headers: bearer, autoPong: false });
    const live = await connect(srv.url, { headers: bearer });
    expect((await mute.closed).code).toBe(1006);
    expect(live.ws.readyState).toBe(live.ws.OPEN);
    live.ws.close();
  });
});
