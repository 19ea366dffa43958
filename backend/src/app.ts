// createApp: the HTTP API, error mapping and the services behind it, wired from deps; no I/O here.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MESSAGE_MAX_BYTES, type ApprovalsPolicy, type Health } from "@catalyst/shared";
import { accountRoutes } from "./account/routes.js";
import type { AccountService } from "./account/service.js";
import { createAuth, type Auth } from "./auth/auth.js";
import { authRoutes, requireAuth } from "./auth/routes.js";
import type { Clock } from "./clock.js";
import type { Ids, Logger } from "./deps.js";
import { AppError, toAppError } from "./http/app-error.js";
import { clientAddress, type AppEnv } from "./http/env.js";
import { cachedProbe } from "./http/health.js";
import { makeHostCheck } from "./http/host-check.js";
import { securityHeaders } from "./http/security-headers.js";
import { serveFrontend } from "./http/static-files.js";
import type { FsPort } from "./fs/fs-port.js";
import { createCheckpoints } from "./checkpoints/checkpoints.js";
import { checkpointRoutes } from "./checkpoints/routes.js";
import { createFilesService } from "./files/files-service.js";
import type { ProjectTarget } from "./files/project-target.js";
import { fileRoutes } from "./files/routes.js";
import { recoverInterruptedRuns } from "./ideas/recover.js";
import { ideaRoutes } from "./ideas/routes.js";
import { createRunService, type RunService } from "./ideas/run-service.js";
import { createIdeaStore, removeCrashLeftovers, type IdeaStore } from "./ideas/store.js";
import { createHub, type Hub } from "./relay/hub.js";
import { createTerminals, type Terminals } from "./terminal/terminals.js";
import type { Runner } from "./runs/runner.js";
import { createBudgetGate } from "./usage/gate.js";
import { createUsageLedger, type UsageLedger } from "./usage/ledger.js";
import { usageRoutes } from "./usage/routes.js";

export interface AppDeps {
  runner: Runner;
  fs: FsPort;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Where the ideas' project folders are (files, changes, terminals). */
  project: ProjectTarget;
  /** The Claude account on the target (/api/account); without it those routes are 404. */
  account?: AccountService;
}

export interface AppConfig {
  appKey: string;
  dataDir: string;
  maxConcurrentRuns: number;
  /** The approvals policy of an idea without its own (BUILD_APPROVALS; `ask` when unset). */
  defaultApprovals?: ApprovalsPolicy;
  /** The built page to serve at `/`, or null for an API-only server. */
  staticDir: string | null;
  /** RUN_BUDGET_USD and MONTHLY_BUDGET_USD; unset: no limit. */
  runBudgetUsd?: number | null;
  monthlyBudgetUsd?: number | null;
  /** Host names the server answers to besides loopback and IP addresses (HOST, ALLOWED_HOSTS). */
  hostNames?: string[];
  /** TRUST_PROXY: X-Forwarded-For and X-Forwarded-Proto come from a proxy we trust. */
  trustProxy?: boolean;
}

export interface CatalystApp {
  app: Hono<AppEnv>;
  store: IdeaStore;
  runs: RunService;
  hub: Hub;
  auth: Auth;
  terminals: Terminals;
  usage: UsageLedger;
  /** Whether a Host header names this server (checked on every request and WebSocket upgrade). */
  hostAllowed: (host: string | undefined) => boolean;
  /** The I/O createApp does not do: removes crash leftovers, takes up runs a restart left going. */
  start(): Promise<void>;
  /**
   * Cancels every run and waits for them; with `detachRuns`, stops recording them instead and
   * leaves them going on the target for the next start.
   */
  close(opts?: { detachRuns?: boolean }): Promise<{ detached: number }>;
}

/** JSON bodies are small except chat messages; the message itself is checked against its own limit. */
const BODY_LIMIT_BYTES = 8 * MESSAGE_MAX_BYTES;

export function createApp(deps: AppDeps, config: AppConfig): CatalystApp {
  const defaultApprovals = config.defaultApprovals ?? "ask";
  const hub = createHub((err) =>
    deps.logger.error("a viewer's listener failed", { error: String(err) }),
  );
  const usage = createUsageLedger({
    fs: deps.fs,
    dataDir: config.dataDir,
    logger: deps.logger,
  });
  const budgets = {
    runBudgetUsd: config.runBudgetUsd ?? null,
    monthlyBudgetUsd: config.monthlyBudgetUsd ?? null,
  };
  const store = createIdeaStore({
    fs: deps.fs,
    dataDir: config.dataDir,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    onAppended: (ideaId, entry) => {
      usage.observe(ideaId, entry);
      hub.publish(ideaId, entry);
    },
  });
  const checkpoints = createCheckpoints(deps.project, deps.logger);
  const runs = createRunService({
    store,
    runner: deps.runner,
    hub,
    clock: deps.clock,
    ids: deps.ids,
    logger: deps.logger,
    maxConcurrentRuns: config.maxConcurrentRuns,
    checkpoints,
    budget: createBudgetGate(budgets, usage, deps.clock),
    defaultApprovals,
  });
  const auth = createAuth({
    appKey: config.appKey,
    clock: deps.clock,
    fs: deps.fs,
    dataDir: config.dataDir,
    logger: deps.logger,
  });
  const terminals = createTerminals({
    target: deps.project,
    clock: deps.clock,
    logger: deps.logger,
  });
  const probe = cachedProbe(deps.runner, deps.clock);

  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  const hostAllowed = makeHostCheck(config.hostNames ?? []);
  app.use("*", async (c, next) => {
    const host = c.req.header("host") ?? new URL(c.req.url).host;
    if (!hostAllowed(host)) {
      throw new AppError(
        "forbidden",
        `this server does not answer to the name ${host}; add it to ALLOWED_HOSTS`,
      );
    }
    c.set("trustProxy", config.trustProxy ?? false);
    await next();
  });
  app.onError((err, c) => {
    const appError = toAppError(err);
    if (appError.code === "internal") {
      deps.logger.error("request failed", { path: c.req.path, error: String(err) });
    }
    if (appError.retryAfter !== undefined) c.header("Retry-After", String(appError.retryAfter));
    return c.json(appError.toJSON(), appError.status);
  });
  app.notFound((c) =>
    c.json(new AppError("not_found", `no route ${c.req.method} ${c.req.path}`).toJSON(), 404),
  );

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError(
          "too_large",
          `the request body is larger than ${BODY_LIMIT_BYTES} bytes`,
        );
      },
    }),
  );
  app.get("/api/health", async (c) => {
    // Without a session only "the server is up": the target's user, host and port are not for
    // whoever can reach the port.
    try {
      auth.check(
        { cookie: c.req.header("cookie"), authorization: c.req.header("authorization") },
        clientAddress(c),
      );
    } catch {
      return c.json({ ok: true });
    }
    const p = await probe();
    const health: Health = {
      ok: true,
      target: p.target,
      cliFound: p.cliFound,
      cliVersion: p.cliVersion,
      cliError: p.error,
      activeRuns: runs.activeCount(),
      maxConcurrentRuns: config.maxConcurrentRuns,
    };
    return c.json(health);
  });
  app.route("/api", authRoutes(auth));
  app.use("/api/*", requireAuth(auth));
  app.route("/api/ideas", ideaRoutes(store, runs, hub, defaultApprovals));
  app.route("/api/ideas", fileRoutes(store, createFilesService(deps.project)));
  app.route("/api/ideas", checkpointRoutes(store, runs, checkpoints));
  app.route("/api/usage", usageRoutes(usage, store, budgets, deps.clock));
  if (deps.account) app.route("/api/account", accountRoutes(deps.account));
  app.all("/api/*", (c) => {
    throw new AppError("not_found", `no route ${c.req.method} ${c.req.path}`);
  });
  if (config.staticDir !== null) serveFrontend(app, config.staticDir);

  return {
    app,
    store,
    runs,
    hub,
    auth,
    terminals,
    usage,
    hostAllowed,
    async start() {
      const removed = await removeCrashLeftovers(deps.fs, config.dataDir);
      if (removed > 0) deps.logger.warn("removed temp files left by a crash", { removed });
      // Usage first: it carries a run still going over from its transcript to the live record.
      await usage.load(await store.list());
      await recoverInterruptedRuns({ store, hub, runner: deps.runner, runs, logger: deps.logger });
      await auth.sessions.load();
    },
    async close(opts = {}) {
      await terminals.closeAll();
      await deps.account?.close();
      if (opts.detachRuns) return { detached: await runs.detachAll() };
      await runs.shutdown();
      return { detached: 0 };
    },
  };
}
