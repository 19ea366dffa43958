// The account tests, written once and run against each executor (this machine and a real sshd):
// the whole server over HTTP, scripts/fake-claude as the CLI (auth status/login/logout on a PTY).
import {
  accountStatusSchema,
  ideaMetaSchema,
  loginStartedSchema,
  type AccountStatus,
} from "@catalyst/shared";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, realpath, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nanoid } from "nanoid";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { createAccountService, type AccountService } from "../src/account/service.js";
import { ManualClock } from "../src/clock.test-helpers.js";
import { systemClock, type Clock } from "../src/clock.js";
import type { Logger } from "../src/deps.js";
import type { Executor } from "../src/exec/executor.js";
import { startServer, type RunningServer } from "../src/http/start-server.js";
import { createCliRunner, type CliRunner } from "../src/runs/cli-runner.js";
import { FAKE_CLAUDE, secretHash, testSettings, watchCommandLines } from "./runs-helpers.js";
import { bearer, TEST_KEY, testConfig } from "./server-start.js";
import { connect } from "./server-ws-client.js";

export function accountTests(executorOf: () => Executor): void {
  let root: string;
  let runner: CliRunner;
  let account: AccountService;
  let srv: RunningServer | undefined;
  let log: string[];

  beforeEach(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-account-")));
    log = [];
  });
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
    await runner?.close().catch(() => {});
    await rm(root, { recursive: true, force: true });
  });

  /** The server, its log kept in `log` (every field, as the console logger would print it). */
  const start = async (clock: Clock = systemClock) => {
    const executor = executorOf();
    // The fake keeps its login under $HOME: one home per test keeps them apart.
    const claudeEnv = { HOME: join(root, "home") };
    const settings = testSettings({ remoteRoot: join(root, "remote"), claudeEnv });
    runner = createCliRunner({ ...settings, executor: { ...executor, close: async () => {} } });
    const logger: Logger = {
      info: (msg, f) => log.push(JSON.stringify({ msg, ...f })),
      warn: (msg, f) => log.push(JSON.stringify({ msg, ...f })),
      error: (msg, f) => log.push(JSON.stringify({ msg, ...f })),
    };
    account = createAccountService({
      executor,
      claudeBin: FAKE_CLAUDE,
      remoteRoot: settings.remoteRoot,
      claudeEnv,
      clock,
      logger,
      newId: () => nanoid(),
    });
    const server = await startServer(
      { runner, account, logger },
      testConfig({ DATA_DIR: join(root, "data") }),
      { staticDir: null },
    );
    srv = server;
    return { executor, settings, server };
  };

  const call = async (path: string, method = "GET", body?: unknown) => {
    const res = await fetch((srv?.url ?? "") + path, {
      method,
      headers: { ...bearer, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, text: await res.text() };
  };
  const statusOf = (text: string): AccountStatus => accountStatusSchema.parse(JSON.parse(text));

  /** Every file under DATA_DIR, as text. */
  const dataDirText = async () => {
    const dir = join(root, "data");
    const files = await readdir(dir, { recursive: true, withFileTypes: true });
    const texts = await Promise.all(
      files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), "utf8")),
    );
    return texts.join("\n");
  };

  /** This test's fake CLI logins still alive on this machine (the sshd is on loopback too). */
  const loginProcesses = () =>
    readdirSync("/proc").filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        const env = readFileSync(`/proc/${pid}/environ`, "utf8");
        return (
          cmd.includes(`${FAKE_CLAUDE}\0auth\0login`) &&
          env.includes(`HOME=${join(root, "home")}\0`)
        );
      } catch {
        return false; // Gone meanwhile.
      }
    });

  it("says the CLI is not logged in, with its version and the target", async () => {
    const { executor } = await start();
    const r = await call("/api/account");
    expect(r.status).toBe(200);
    expect(statusOf(r.text)).toMatchObject({
      target: executor.target,
      loggedIn: false,
      kind: "none",
      method: "none",
      stored: null,
      error: null,
    });
    expect(statusOf(r.text).cliVersion).toMatch(/\d+\.\d+\.\d+/);
  });

  it("stores an API key owner-only, the next run gets it, and it is nowhere else", async () => {
    const { settings, server } = await start();
    const secret = `sk-ant-api03-${nanoid(40)}`;
    const watch = watchCommandLines(secret);
    const put = await call("/api/account/api-key", "PUT", { apiKey: secret });
    expect(put.status).toBe(200);
    expect(statusOf(put.text)).toMatchObject({
      loggedIn: true,
      kind: "api_key",
      apiKeySource: "ANTHROPIC_API_KEY",
      stored: "api_key",
    });
    const dir = join(settings.remoteRoot, "account");
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "env"))).mode & 0o777).toBe(0o600);

    // A chat run: the fake CLI shows the key's hash only (the real one never prints it).
    const idea = ideaMetaSchema.parse(
      JSON.parse((await call("/api/ideas", "POST", { title: "Keyed" })).text),
    );
    const viewer = await connect(server.url, { headers: bearer });
    viewer.send({ type: "subscribe", ideaId: idea.id });
    await viewer.waitFor((m) => m.type === "subscribed");
    expect(
      (await call(`/api/ideas/${idea.id}/chat`, "POST", { message: "@fake echo-prompt" })).status,
    ).toBe(202);
    await viewer.waitFor((m) => m.type === "event" && m.event.type === "run_finished");
    viewer.ws.close();
    const texts = viewer.messages.flatMap((m) =>
      m.type === "event" && m.event.type === "text" ? [m.event.text] : [],
    );
    const report = z
      .object({ env: z.record(z.string(), z.string()) })
      .parse(JSON.parse(texts.find((t) => t.startsWith('{"promptBytes"')) ?? "null"));
    expect(report.env.ANTHROPIC_API_KEY).toBe(secretHash(secret));

    const seen = await watch.stop();
    expect(seen.holders).toEqual([]);
    expect(await dataDirText()).not.toContain(secret);
    expect(log.join("\n")).not.toContain(secret);
    expect(log.join("\n")).toContain("a credential was stored");
    expect((await call("/api/account")).text).not.toContain(secret);
    expect((await call("/api/health")).text).not.toContain(secret);
  });

  it("removes the stored key: the next status says so and the file is gone", async () => {
    const { settings } = await start();
    await call("/api/account/api-key", "PUT", { oauthToken: "sk-ant-oat01-pasted-token" });
    expect(statusOf((await call("/api/account")).text)).toMatchObject({
      kind: "oauth_token",
      stored: "oauth_token",
    });
    const del = await call("/api/account/api-key", "DELETE");
    expect(del.status).toBe(200);
    expect(statusOf(del.text)).toMatchObject({ loggedIn: false, stored: null });
    await expect(stat(join(settings.remoteRoot, "account", "env"))).rejects.toThrow();
  });

  it("logs in with the code from claude.ai: a wrong code gets the CLI's words, a good one works, logout undoes it", async () => {
    await start();
    const first = await call("/api/account/login", "POST");
    expect(first.status).toBe(200);
    const login = loginStartedSchema.parse(JSON.parse(first.text));
    expect(login.url).toMatch(/^https:\/\/claude\.ai\/oauth\/authorize\?/);

    const wrongCode = `wrong-${nanoid()}`;
    const bad = await call(`/api/account/login/${login.loginId}`, "POST", { code: wrongCode });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Invalid authorization code");
    expect(bad.text).not.toContain("[code]");
    expect(bad.text).not.toContain(wrongCode);
    // The CLI gave up: so did the login.
    expect(
      (await call(`/api/account/login/${login.loginId}`, "POST", { code: "fake-good-code" }))
        .status,
    ).toBe(404);

    const second = loginStartedSchema.parse(
      JSON.parse((await call("/api/account/login", "POST")).text),
    );
    const good = await call(`/api/account/login/${second.loginId}`, "POST", {
      code: "fake-good-code",
    });
    expect(good.status).toBe(200);
    expect(good.text).not.toContain("fake-good-code");
    expect(statusOf((await call("/api/account")).text)).toMatchObject({
      loggedIn: true,
      kind: "subscription",
      method: "claude.ai",
      subscription: "max",
    });
    expect(statusOf((await call("/api/account")).text).expiresAt).not.toBeNull();
    expect(loginProcesses()).toEqual([]);
    expect(log.join("\n")).not.toContain(wrongCode);
    expect(await dataDirText()).not.toContain(wrongCode);

    const out = await call("/api/account/logout", "POST");
    expect(out.status).toBe(200);
    expect(statusOf(out.text)).toMatchObject({ loggedIn: false, kind: "none" });
  });

  it("ends an abandoned login after five minutes (hand-moved clock) and leaves nothing running", async () => {
    const clock = new ManualClock(Date.now());
    await start(clock);
    const login = loginStartedSchema.parse(
      JSON.parse((await call("/api/account/login", "POST")).text),
    );
    expect(loginProcesses()).not.toEqual([]);
    clock.advance(4 * 60_000);
    expect(loginProcesses()).not.toEqual([]);
    clock.advance(60_000);
    for (let i = 0; i < 100 && loginProcesses().length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(loginProcesses()).toEqual([]);
    const late = await call(`/api/account/login/${login.loginId}`, "POST", {
      code: "fake-good-code",
    });
    expect(late.status).toBe(404);
    expect(statusOf((await call("/api/account?fresh=1")).text).loggedIn).toBe(false);
  });

  it("answers only an authenticated request, and a cookie's writes only from this server's page", async () => {
    const { server } = await start();
    expect((await fetch(`${server.url}/api/account`)).status).toBe(401);
    const login = await fetch(`${server.url}/api/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ key: TEST_KEY }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const put = (origin: string) =>
      fetch(`${server.url}/api/account/api-key`, {
        method: "PUT",
        headers: { cookie, origin, "content-type": "application/json" },
        body: JSON.stringify({ apiKey: "sk-ant-api03-from-elsewhere" }),
      });
    expect((await put("http://evil.example")).status).toBe(403);
    expect((await put(server.url)).status).toBe(200);
    const bad = await call("/api/account/api-key", "PUT", { apiKey: "two words" });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain("two words");
  });

  it("keeps one login at a time: a new one replaces the one before", async () => {
    await start();
    const a = loginStartedSchema.parse(JSON.parse((await call("/api/account/login", "POST")).text));
    const b = loginStartedSchema.parse(JSON.parse((await call("/api/account/login", "POST")).text));
    expect(a.loginId).not.toBe(b.loginId);
    expect((await call(`/api/account/login/${a.loginId}`, "POST", { code: "x" })).status).toBe(404);
    // A server shutdown ends the one left.
    await srv?.close();
    srv = undefined;
    expect(loginProcesses()).toEqual([]);
  });
}
