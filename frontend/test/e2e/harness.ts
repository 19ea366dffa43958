// Starts what the e2e tests drive: a fresh build of the page, the real server with the fake CLI as
// CLAUDE_BIN on the local executor, and Debian's Chromium through playwright-core.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import type { Browser } from "playwright-core";
import { launchChromium } from "@catalyst/backend/testing/chromium";
import {
  parseConfig,
  silentLogger,
  startServer,
  type RunningServer,
  runnerFromConfig,
  executorFromConfig,
  accountFromConfig,
} from "@catalyst/backend";

export { CHROMIUM, chromiumAvailable, launchChromium } from "@catalyst/backend/testing/chromium";

const frontendDir = fileURLToPath(new URL("../..", import.meta.url));
const repoDir = fileURLToPath(new URL("../../..", import.meta.url));
export const screenshotDir = join(frontendDir, "test-results");

export const KEY = "e2e-key-0123456789abcdef-0123";

export type Stack = {
  server: RunningServer;
  browser: Browser;
  url: string;
  close(): Promise<void>;
};

/** Builds the page into a temp folder so the test always sees the current source. */
export async function buildPage(outDir: string): Promise<void> {
  await build({
    root: frontendDir,
    configFile: join(frontendDir, "vite.config.ts"),
    logLevel: "warn",
    build: { outDir, emptyOutDir: true },
  });
}

/** A one-time login link for the stack's server, as the server prints at start (`#login=`). */
export function loginUrl(stack: { url: string; server: RunningServer }): string {
  return `${stack.url}/#login=${stack.server.app.auth.loginLinks.issue()}`;
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const tmp = await mkdtemp(join(tmpdir(), "catalyst-e2e-"));
  const staticDir = join(tmp, "dist");
  await mkdir(join(tmp, "remote"), { recursive: true });
  await buildPage(staticDir);
  const parsed = parseConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    APP_KEY: KEY,
    DATA_DIR: join(tmp, "data"),
    CLAUDE_BIN: join(repoDir, "scripts/fake-claude"),
    REMOTE_ROOT: join(tmp, "remote"),
    CANCEL_GRACE_MS: "3000",
    ...env,
  });
  if (!parsed.success) throw new Error(parsed.error);
  const executor = executorFromConfig(parsed.data);
  const runner = runnerFromConfig(parsed.data, executor);
  const account = accountFromConfig(parsed.data, executor, silentLogger);
  const server = await startServer({ runner, account, logger: silentLogger }, parsed.data, {
    staticDir,
  });
  const browser = await launchChromium();
  return {
    server,
    browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
      await runner.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
