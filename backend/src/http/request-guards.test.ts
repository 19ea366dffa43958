import { connect } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { makeHarness, TEST_KEY, type Harness } from "../../test/server-harness.js";
import { FakeRunner } from "../../test/server-fake-runner.js";
import { parseConfig } from "../config.js";
import { silentLogger } from "../deps.js";
import { startServer, type RunningServer } from "./start-server.js";

let h: Harness | null = null;
let server: RunningServer | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  await h?.cleanup();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  h = server = dataDir = null;
});

const login = (harness: Harness, headers: Record<string, string>) =>
  harness.catalyst.app.request("http://127.0.0.1:3000/api/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ key: TEST_KEY }),
  });

async function realServer(
  env: Record<string, string>,
  timeouts?: { headersMs: number; requestMs: number; checkEveryMs: number },
) {
  dataDir = await mkdtemp(join(tmpdir(), "catalyst-guards-"));
  const parsed = parseConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    APP_KEY: TEST_KEY,
    DATA_DIR: dataDir,
    ...env,
  });
  if (!parsed.success) throw new Error(parsed.error);
  server = await startServer({ runner: new FakeRunner(), logger: silentLogger }, parsed.data, {
    staticDir: null,
    ...(timeouts ? { timeouts } : {}),
  });
  return server;
}

describe("Host header (DNS rebinding)", () => {
  it("refuses a request for a name this server is not known by with 403 and a message, on HTTP and on the WebSocket", async () => {
    const s = await realServer({ ALLOWED_HOSTS: "catalyst.lan" });
    // fetch does not let a script set Host: a raw request.
    const raw = await new Promise<string>((resolve) => {
      const sock = connect(s.port, "127.0.0.1", () =>
        sock.end(
          "GET /api/health HTTP/1.1\r\nHost: attacker.example:3000\r\nConnection: close\r\n\r\n",
        ),
      );
      let out = "";
      sock.on("data", (d) => (out += d.toString()));
      sock.on("close", () => resolve(out));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 403/);
    expect(raw).toContain("ALLOWED_HOSTS");
    const ok = await fetch(`${s.url}/api/health`);
    expect(ok.status).toBe(200);
    const named = await new Promise<string>((resolve) => {
      const sock = connect(s.port, "127.0.0.1", () =>
        sock.end(
          "GET /api/health HTTP/1.1\r\nHost: CATALYST.lan:3000\r\nConnection: close\r\n\r\n",
        ),
      );
      let out = "";
      sock.on("data", (d) => (out += d.toString()));
      sock.on("close", () => resolve(out));
    });
    expect(named).toMatch(/^HTTP\/1\.1 200/);
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api/ws`, {
      headers: { authorization: `Bearer ${TEST_KEY}`, host: "attacker.example" },
    });
    const status = await new Promise<number>((resolve) => {
      ws.on("unexpected-response", (_req, r) => resolve(r.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => resolve(-1));
    });
    ws.terminate();
    expect(status).toBe(403);
  });
});

describe("TRUST_PROXY", () => {
  it("marks the cookie Secure when the proxy says the browser used HTTPS, and only then", async () => {
    h = await makeHarness({ trustProxy: true });
    const viaTls = await login(h, { "x-forwarded-proto": "https" });
    expect(viaTls.headers.get("set-cookie")).toMatch(/Secure/);
    const plain = await login(h, {});
    expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/);
    await h.cleanup();
    h = await makeHarness({ trustProxy: false });
    const untrusted = await login(h, { "x-forwarded-proto": "https" });
    expect(untrusted.headers.get("set-cookie")).not.toMatch(/Secure/);
  });

  it("throttles by the address the proxy saw, not the proxy's own", async () => {
    h = await makeHarness({ trustProxy: true });
    const attempt = (from: string) =>
      h!.catalyst.app.request("http://127.0.0.1:3000/api/login", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `1.1.1.1, ${from}` },
        body: JSON.stringify({ key: "wrong-key" }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt("10.0.0.1")).status).toBe(401);
    expect((await attempt("10.0.0.1")).status).toBe(429);
    expect((await attempt("10.0.0.2")).status).toBe(401);
  });
});

describe("slow requests", () => {
  it("closes a connection whose body does not arrive in time instead of holding it 300 s", async () => {
    const s = await realServer({}, { headersMs: 300, requestMs: 400, checkEveryMs: 50 });
    const started = Date.now();
    const answer = await new Promise<string>((resolve) => {
      const sock = connect(s.port, "127.0.0.1", () =>
        sock.write(
          'POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"key":',
        ),
      );
      let out = "";
      sock.on("data", (d) => (out += d.toString()));
      sock.on("close", () => resolve(out));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
