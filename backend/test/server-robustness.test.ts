import net from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ideaMetaSchema } from "@catalyst/shared";
import { FakeRunner } from "./server-fake-runner.js";
import { api, bearer, startTestServer, TEST_KEY } from "./server-start.js";
import { connect, isEvent, refusedStatus } from "./server-ws-client.js";

let srv: Awaited<ReturnType<typeof startTestServer>>;
let runner: FakeRunner;
const uncaught: unknown[] = [];
const record = (err: unknown) => uncaught.push(err);
beforeEach(async () => {
  uncaught.length = 0;
  process.on("uncaughtException", record);
  runner = new FakeRunner();
  srv = await startTestServer(runner);
});
afterEach(async () => {
  process.off("uncaughtException", record);
  await srv.cleanup();
});

/** Sends a WebSocket upgrade request and resets the connection at once (RST, no FIN). */
function upgradeThenReset(port: number, headers: string): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.write(
        `GET /api/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
          `Sec-WebSocket-Version: 13\r\n${headers}\r\n`,
      );
      s.resetAndDestroy();
      resolve();
    });
    s.on("error", () => undefined);
  });
}

/** Sends a raw upgrade request for `path` and returns the status line of the answer. */
function rawUpgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    let answer = "";
    const s = net.connect(port, "127.0.0.1", () => {
      s.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
          `Sec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    s.on("data", (d: Buffer) => (answer += d.toString()));
    s.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
    s.on("error", () => undefined);
  });
}

describe("an upgrade request with a path URL parsing rejects", () => {
  it("is a 404, and the server goes on", async () => {
    for (const path of ["//", "http://[::1", "//a:b@["]) {
      expect(await rawUpgrade(srv.port, path)).toBe("HTTP/1.1 404 Not Found");
    }
    expect(uncaught).toEqual([]);
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  });
});

describe("a client that resets its connection", () => {
  it("during a refused WebSocket upgrade does not crash the server", async () => {
    for (let i = 0; i < 100; i++) {
      await upgradeThenReset(srv.port, i % 2 === 0 ? "Origin: http://evil.example\r\n" : "");
    }
    // Give the server time to see the resets and write its refusals into them.
    await new Promise((r) => setTimeout(r, 300));
    expect(uncaught).toEqual([]);
    expect((await fetch(`${srv.url}/api/health`)).status).toBe(200);
  });
});

describe("a transcript line larger than a viewer's queue limit", () => {
  it("reaches a viewer that reads, with what follows it, without dropping the viewer", async () => {
    const idea = ideaMetaSchema.parse(
      await (await api(srv.url, "/api/ideas", "POST", { title: "Big" })).json(),
    );
    const viewer = await connect(srv.url, { headers: bearer });
    viewer.send({ type: "subscribe", ideaId: idea.id });
    await viewer.waitFor((m) => m.type === "subscribed");
    await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", { message: "go" });
    const run = await runner.nextRun();
    // A tool result of 32 MiB happens (a big file read); the default queue limit is 8 MiB.
    run.started().text("x".repeat(32 * 1024 * 1024));
    for (let i = 0; i < 20; i++) run.text(`after ${i}`);
    run.finish();
    const finished = await viewer.waitFor(isEvent(idea.id, "run_finished"));
    const last = finished.type === "event" ? finished.seq : 0;
    expect(viewer.seqs(idea.id)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(srv.relay.clientCount()).toBe(1);
    viewer.ws.close();
  }, 60_000);
});

describe("the WebSocket upgrade's Origin check with the session cookie", () => {
  it("refuses Origin null and another port of this host, accepts this server's origin in any case", async () => {
    const login = await fetch(`${srv.url}/api/login`, {
      method: "POST",
      body: JSON.stringify({ key: TEST_KEY }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const other = `http://127.0.0.1:${srv.port === 65535 ? 65534 : srv.port + 1}`;
    for (const origin of ["null", other, "http://127.0.0.1", `ws://127.0.0.1:${srv.port}`]) {
      expect(await refusedStatus(srv.url, { headers: { cookie }, origin })).toBe(403);
    }
    const ok = await connect(srv.url, { headers: { cookie }, origin: srv.url.toUpperCase() });
    ok.ws.close();
  });
});
