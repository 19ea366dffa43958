// main.ts as a process: configuration errors, the generated key's login URL, graceful shutdown.
import { spawn } from "node:child_process";
import { eventsResponseSchema, ideaMetaSchema, transcriptEntrySchema } from "@catalyst/shared";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TSX = join(REPO, "node_modules", ".bin", "tsx");
const MAIN = join(REPO, "backend", "src", "main.ts");

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "catalyst-main-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function startMain(env: Record<string, string>) {
  const child = spawn(TSX, [MAIN], {
    cwd: dir, // no .env here
    env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("main", () => {
  it("stops with exit code 1 and names the variable when the configuration is bad", async () => {
    const p = startMain({ PORT: "not-a-port", MAX_CONCURRENT_RUNS: "0" });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/PORT/);
    expect(p.err()).toMatch(/MAX_CONCURRENT_RUNS/);
  });

  it("shows a configuration error the runner finds as a message naming the variable, not a stack trace", async () => {
    const p = startMain({
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      CLAUDE_EXTRA_ARGS: "--resume abc",
    });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/Invalid configuration: .*CLAUDE_EXTRA_ARGS/);
    expect(p.err()).not.toMatch(/\n\s+at /);
  });

  it("prints a one-time login link (never the key in a URL) and the generated key once; both log in, the link once; SIGTERM shuts down cleanly", async () => {
    const p = startMain({
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      CLAUDE_BIN: join(REPO, "scripts", "fake-claude"),
      REMOTE_ROOT: join(dir, "remote"),
    });
    await expect.poll(() => p.out(), { timeout: 20_000 }).toMatch(/login form: /);
    const link = /(http:\/\/127\.0\.0\.1:\d+)\/#login=([A-Za-z0-9_-]+)/.exec(p.out());
    const [, base, token] = link ?? [];
    const key = /login form: ([A-Za-z0-9_-]+)/.exec(p.out())?.[1] ?? "";
    expect(link).not.toBeNull();
    expect(p.out()).not.toContain("key=");
    expect(p.out().split(key).length - 1).toBe(1);
    const loginWith = (body: unknown) =>
      fetch(`${base}/api/login`, { method: "POST", body: JSON.stringify(body) });
    expect((await loginWith({ token })).status).toBe(204);
    expect((await loginWith({ token })).status).toBe(401);
    const login = await loginWith({ key });
    expect(login.status).toBe(204);
    const health = await fetch(`${base}/api/health`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(await health.json()).toMatchObject({ ok: true, target: "local", cliFound: true });
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("on SIGTERM with SHUTDOWN_CANCELS_RUNS=1 cancels the running run and records it before exiting", async () => {
    const key = "main-test-key-0123456789";
    const dataDir = join(dir, "data");
    const p = startMain({
      PORT: "0",
      APP_KEY: key,
      DATA_DIR: dataDir,
      CLAUDE_BIN: join(REPO, "scripts", "fake-claude"),
      REMOTE_ROOT: join(dir, "remote"),
      CLAUDE_ENV: `HOME=${dir}`,
      SHUTDOWN_CANCELS_RUNS: "1",
    });
    await expect.poll(() => p.out(), { timeout: 20_000 }).toMatch(/listening on/);
    const base = /listening on (http:\/\/\S+)/.exec(p.out())?.[1] ?? "";
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${base}/api/ideas`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "long" }),
    });
    const { id } = z.object({ id: z.string() }).parse(await created.json());
    await fetch(`${base}/api/ideas/${id}/chat`, {
      method: "POST",
      headers,
      body: JSON.stringify({ message: "@fake slow interval=100 count=600" }),
    });
    const seen = async () => {
      const res = await fetch(`${base}/api/ideas/${id}/events`, { headers });
      return eventsResponseSchema.parse(await res.json()).events.map((e) => e.event.type);
    };
    await expect.poll(seen, { timeout: 20_000 }).toContain("text_delta");
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);

    const lines = (await readFile(join(dataDir, "ideas", id, "events.ndjson"), "utf8"))
      .trim()
      .split("\n")
      .map((l) => transcriptEntrySchema.parse(JSON.parse(l)).event);
    expect(lines.map((e) => e.type)).toContain("cancel_requested");
    expect(lines.at(-1)).toMatchObject({ type: "run_finished", outcome: "cancelled" });
    const meta = ideaMetaSchema.parse(
      JSON.parse(await readFile(join(dataDir, "ideas", id, "meta.json"), "utf8")),
    );
    expect(meta.activeRunId).toBeNull();
  });
});
