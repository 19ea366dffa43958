// Builds the app over a temp DATA_DIR and a FakeRunner for route and service tests.
import type { ApprovalsPolicy } from "@catalyst/shared";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type CatalystApp } from "../src/app.js";
import { systemClock, type Clock } from "../src/clock.js";
import { nanoIds, silentLogger, type Logger } from "../src/deps.js";
import { createNodeFs, type FsPort } from "../src/fs/fs-port.js";
import { createLocalExecutor } from "../src/exec/local.js";
import type { ProjectTarget } from "../src/files/project-target.js";
import { FakeRunner } from "./server-fake-runner.js";

export const TEST_KEY = "test-key-0123456789abcdef";

export interface Harness {
  catalyst: CatalystApp;
  runner: FakeRunner;
  dataDir: string;
  /** A request with the Bearer key unless `headers` says otherwise. */
  api(path: string, init?: RequestInit): Promise<Response>;
  json(path: string, method: string, body: unknown): Promise<Response>;
  cleanup(): Promise<void>;
}

export async function makeHarness(
  opts: {
    runner?: FakeRunner;
    fs?: FsPort;
    clock?: Clock;
    maxConcurrentRuns?: number;
    dataDir?: string;
    staticDir?: string | null;
    logger?: Logger;
    project?: ProjectTarget;
    runBudgetUsd?: number | null;
    monthlyBudgetUsd?: number | null;
    trustProxy?: boolean;
    defaultApprovals?: ApprovalsPolicy;
  } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "catalyst-server-")));
  const runner = opts.runner ?? new FakeRunner();
  const catalyst = createApp(
    {
      runner,
      fs: opts.fs ?? createNodeFs(),
      clock: opts.clock ?? systemClock,
      ids: nanoIds,
      logger: opts.logger ?? silentLogger,
      project: opts.project ?? { executor: createLocalExecutor(), remoteRoot: dataDir },
    },
    {
      appKey: TEST_KEY,
      dataDir,
      maxConcurrentRuns: opts.maxConcurrentRuns ?? 8,
      staticDir: opts.staticDir ?? null,
      runBudgetUsd: opts.runBudgetUsd ?? null,
      monthlyBudgetUsd: opts.monthlyBudgetUsd ?? null,
      trustProxy: opts.trustProxy ?? false,
      defaultApprovals: opts.defaultApprovals,
    },
  );
  await catalyst.start();
  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization") && !headers.has("cookie")) {
      headers.set("authorization", `Bearer ${TEST_KEY}`);
    }
    return Promise.resolve(catalyst.app.request(path, { ...init, headers }));
  };
  return {
    catalyst,
    runner,
    dataDir,
    api,
    json: (path, method, body) =>
      api(path, {
        method,
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    async cleanup() {
      await catalyst.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { nanoIds };
