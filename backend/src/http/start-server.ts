// startServer: the app, the HTTP server and the WebSocket relay on one port, with an orderly close().
import { createAdaptorServer } from "@hono/node-server";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { createApp, type CatalystApp } from "../app.js";
import { generateAppKey } from "../auth/secret.js";
import type { Config } from "../config.js";
import { systemClock, type Clock } from "../clock.js";
import { consoleLogger, nanoIds, type Ids, type Logger } from "../deps.js";
import { createNodeFs, type FsPort } from "../fs/fs-port.js";
import { createLocalExecutor } from "../exec/local.js";
import type { ProjectTarget } from "../files/project-target.js";
import { cliEnvironment } from "../runs/from-config.js";
import { terminalRoute } from "../terminal/terminal-socket.js";
import { attachRelay, type Relay, type RelayOptions } from "../relay/ws-relay.js";
import type { Runner } from "../runs/runner.js";
import type { AccountService } from "../account/service.js";

export interface ServerDeps {
  /** The runner to use; closing the server does not close it. */
  runner: Runner;
  account?: AccountService;
  fs?: FsPort;
  clock?: Clock;
  ids?: Ids;
  logger?: Logger;
  /** Where project folders are; default: this machine under REMOTE_ROOT. */
  project?: ProjectTarget;
}

export interface ServerOptions {
  /** The built page; default: frontend/dist when it exists. null: API only. */
  staticDir?: string | null;
  relay?: Partial<RelayOptions>;
  /**
   * How long a client may take to send its headers and its whole request (Node's default holds a
   * slow body for 300 s); the second is for the request, not the response, so the WebSocket and
   * long answers are not cut.
   */
  timeouts?: { headersMs: number; requestMs: number; checkEveryMs?: number };
}

const defaultTimeouts = { headersMs: 20_000, requestMs: 60_000, checkEveryMs: 5_000 };

export interface RunningServer {
  url: string;
  port: number;
  /** The key in use: APP_KEY, or the one generated because it was unset. */
  appKey: string;
  keyGenerated: boolean;
  app: CatalystApp;
  relay: Relay;
  /** See CatalystApp.close: runs are cancelled, or with `detachRuns` left going on the target. */
  close(opts?: { detachRuns?: boolean }): Promise<{ detached: number }>;
}

export const defaultStaticDir = fileURLToPath(new URL("../../../frontend/dist", import.meta.url));

export async function startServer(
  deps: ServerDeps,
  config: Config,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const logger = deps.logger ?? consoleLogger;
  const appKey = config.APP_KEY ?? generateAppKey();
  const staticDir =
    options.staticDir !== undefined
      ? options.staticDir
      : existsSync(`${defaultStaticDir}/index.html`)
        ? defaultStaticDir
        : null;
  const catalyst = createApp(
    {
      runner: deps.runner,
      account: deps.account,
      fs: deps.fs ?? createNodeFs(),
      clock: deps.clock ?? systemClock,
      ids: deps.ids ?? nanoIds,
      logger,
      project: deps.project ?? {
        executor: createLocalExecutor({ env: cliEnvironment(process.env) }),
        remoteRoot: config.REMOTE_ROOT,
      },
    },
    {
      appKey,
      dataDir: config.DATA_DIR,
      maxConcurrentRuns: config.MAX_CONCURRENT_RUNS,
      defaultApprovals: config.BUILD_APPROVALS,
      staticDir,
      runBudgetUsd: config.RUN_BUDGET_USD ?? null,
      monthlyBudgetUsd: config.MONTHLY_BUDGET_USD ?? null,
      hostNames: [config.HOST, ...config.ALLOWED_HOSTS],
      trustProxy: config.TRUST_PROXY,
    },
  );
  await catalyst.start();

  // createAdaptorServer returns a union with the HTTP/2 servers; without options it is http.Server.
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const server = createAdaptorServer({
    fetch: catalyst.app.fetch,
    serverOptions: {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const terminal = terminalRoute({ ...catalyst, logger });
  const relay = attachRelay(server, catalyst, logger, options.relay, [terminal]);
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;

  let closing: Promise<{ detached: number }> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    appKey,
    keyGenerated: config.APP_KEY === undefined,
    app: catalyst,
    relay,
    close(opts) {
      closing ??= (async () => {
        server.close();
        // Runs end first so their last events still reach the viewers.
        const runs = await catalyst.close(opts);
        await relay.close();
        await terminal.close();
        server.closeAllConnections();
        return runs;
      })();
      return closing;
    },
  };
}
