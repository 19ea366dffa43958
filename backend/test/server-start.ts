// Starts the real server (HTTP + WebSocket) on 127.0.0.1:0 over a temp DATA_DIR for tests and benches.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, type Config } from "../src/config.js";
import { silentLogger } from "../src/deps.js";
import { startServer, type RunningServer, type ServerOptions } from "../src/http/start-server.js";
import type { Runner } from "../src/runs/runner.js";

export const TEST_KEY = "test-key-0123456789abcdef";

export function testConfig(env: Record<string, string>): Config {
  const parsed = parseConfig({ HOST: "127.0.0.1", PORT: "0", APP_KEY: TEST_KEY, ...env });
  if (!parsed.success) throw new Error(parsed.error);
  return parsed.data;
}

export async function startTestServer(
  runner: Runner,
  env: Record<string, string> = {},
  options: ServerOptions = {},
): Promise<RunningServer & { dataDir: string; cleanup(): Promise<void> }> {
  const dataDir = env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), "catalyst-srv-")));
  const server = await startServer(
    { runner, logger: silentLogger },
    testConfig({ ...env, DATA_DIR: dataDir }),
    {
      staticDir: null,
      ...options,
    },
  );
  return {
    ...server,
    dataDir,
    async cleanup() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = { authorization: `Bearer ${TEST_KEY}` };

export async function api(
  base: string,
  path: string,
  method = "GET",
  body?: unknown,
): Promise<Response> {
  return fetch(base + path, {
    method,
    headers: { ...bearer, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}
