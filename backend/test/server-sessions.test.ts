// Login sessions across a real restart: same APP_KEY keeps the cookie, a changed or generated key does not.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { silentLogger } from "../src/deps.js";
import { startServer, type RunningServer } from "../src/http/start-server.js";
import { FakeRunner } from "./server-fake-runner.js";

const KEY = "restart-key-0123456789abcdef";

let dataDir: string;
let running: RunningServer | undefined;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "catalyst-sessions-"));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts the real server on DATA_DIR; `appKey` undefined: the server generates one. */
async function start(appKey: string | undefined): Promise<RunningServer> {
  await running?.close();
  const parsed = parseConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dataDir,
    ...(appKey !== undefined ? { APP_KEY: appKey } : {}),
  });
  if (!parsed.success) throw new Error(parsed.error);
  running = await startServer({ runner: new FakeRunner(), logger: silentLogger }, parsed.data, {
    staticDir: null,
  });
  return running;
}

async function login(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key: server.appKey }),
  });
  expect(res.status).toBe(204);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

const ideasWith = (server: RunningServer, cookie: string) =>
  fetch(`${server.url}/api/ideas`, { headers: { cookie } }).then((r) => r.status);

describe("sessions across a restart", () => {
  it("keep the cookie valid with the same APP_KEY, and a logout stays a logout", async () => {
    const first = await start(KEY);
    const cookie = await login(first);
    const loggedOut = await login(first);
    const out = await fetch(`${first.url}/api/logout`, {
      method: "POST",
      headers: { cookie: loggedOut },
    });
    expect(out.status).toBe(204);

    const file = await readFile(join(dataDir, "sessions.json"), "utf8");
    expect(file).not.toContain(KEY);
    expect(file).not.toContain(cookie.split("=")[1]);

    const second = await start(KEY);
    expect(await ideasWith(second, cookie)).toBe(200);
    expect(await ideasWith(second, loggedOut)).toBe(401);
  });

  it("drop every session when APP_KEY changes, even if it changes back", async () => {
    const cookie = await login(await start(KEY));
    expect(await ideasWith(await start(`${KEY}-rotated`), cookie)).toBe(401);
    expect(await ideasWith(await start(KEY), cookie)).toBe(401);
  });

  it("drop every session when the key is generated at start-up", async () => {
    const generated = await start(undefined);
    expect(generated.keyGenerated).toBe(true);
    const cookie = await login(generated);
    expect(await ideasWith(generated, cookie)).toBe(200);
    expect(await ideasWith(await start(undefined), cookie)).toBe(401);

    const cookieWithKey = await login(await start(KEY));
    expect(await ideasWith(await start(undefined), cookieWithKey)).toBe(401);
  });
});
