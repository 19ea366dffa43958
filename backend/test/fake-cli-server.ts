// The whole server with the real local runner and scripts/fake-claude as the CLI, one per test:
// a temp root (remote/, data/, the fake's HOME), started on demand, closed and removed after.
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { runnerFromConfig } from "../src/runs/from-config.js";
import type { Runner } from "../src/runs/runner.js";
import { startTestServer, testConfig } from "./server-start.js";

export const FAKE_CLAUDE = fileURLToPath(new URL("../../scripts/fake-claude", import.meta.url));

export interface FakeCliServer {
  /** This test's temp folder. */
  readonly root: string;
  readonly srv: Awaited<ReturnType<typeof startTestServer>>;
  start(env?: Record<string, string>): Promise<void>;
  /** Closes the server and its runner (as a crash or a restart would end them). */
  stop(): Promise<void>;
}

/** Registers beforeEach/afterEach in the calling file; `start` in a test brings the server up. */
export function useFakeCliServer(): FakeCliServer {
  let root = "";
  let runner: Runner | undefined;
  let srv: Awaited<ReturnType<typeof startTestServer>> | undefined;
  beforeEach(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-e2e-")));
  });
  const stop = async () => {
    await srv?.close();
    await runner?.close();
    srv = undefined;
    runner = undefined;
  };
  afterEach(async () => {
    await stop();
    await rm(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    get srv() {
      if (!srv) throw new Error("start() the server first");
      return srv;
    },
    stop,
    async start(env = {}) {
      const full = {
        CLAUDE_BIN: FAKE_CLAUDE,
        REMOTE_ROOT: join(root, "remote"),
        DATA_DIR: join(root, "data"),
        // The fake keeps its sessions under $HOME: one home per test keeps them apart.
        CLAUDE_ENV: `HOME=${join(root, "home")}`,
        CANCEL_GRACE_MS: "2000",
        ...env,
      };
      runner = runnerFromConfig(testConfig(full));
      srv = await startTestServer(runner, full);
    },
  };
}
