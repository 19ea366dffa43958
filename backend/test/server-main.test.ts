// main.ts as a process: configuration errors, the generated key's login URL, graceful shutdown.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

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

  it("prints a login URL with a generated key once, the key logs in, and SIGTERM shuts down cleanly", async () => {
    const p = startMain({
      PORT: "0",
      DATA_DIR: join(dir, "data"),
      CLAUDE_BIN: join(REPO, "scripts", "fake-claude"),
      REMOTE_ROOT: join(dir, "remote"),
    });
    await expect.poll(() => p.out(), { timeout: 20_000 }).toMatch(/\?key=/);
    const match = /(http:\/\/127\.0\.0\.1:\d+)\/\?key=([A-Za-z0-9_-]+)/.exec(p.out());
    expect(match).not.toBeNull();
    const [, base, key] = match ?? [];
    expect((p.out().match(/\?key=/g) ?? []).length).toBe(1);
    const login = await fetch(`${base}/api/login`, {
      method: "POST",
      body: JSON.stringify({ key }),
    });
    expect(login.status).toBe(204);
    const health = await fetch(`${base}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, target: "local", cliFound: true });
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});
