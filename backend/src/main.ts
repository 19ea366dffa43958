// The composition root: reads .env and the environment, builds the runner, starts the server.
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parseConfig } from "./config.js";
import { consoleLogger } from "./deps.js";
import { shutDown } from "./http/shut-down.js";
import { startServer } from "./http/start-server.js";
import type { Executor } from "./exec/executor.js";
import { executorFromConfig, runnerFromConfig } from "./runs/from-config.js";
import { accountFromConfig } from "./account/from-config.js";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const parsed = parseConfig(process.env);
  if (!parsed.success) {
    console.error(parsed.error);
    process.exit(1);
  }
  const config = parsed.data;
  // The runner checks what zod cannot (CLAUDE_EXTRA_ARGS words, the SSH key file): its errors
  // name the variable, so they are shown as a message, not a stack trace.
  let runner: ReturnType<typeof runnerFromConfig>;
  let executor: Executor;
  try {
    // One executor (one SSH connection pool) for runs, files and terminals.
    executor = executorFromConfig(config);
    runner = runnerFromConfig(config, executor);
  } catch (err) {
    console.error(`Invalid configuration: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const account = accountFromConfig(config, executor);
  const server = await startServer(
    { runner, account, project: { executor, remoteRoot: config.REMOTE_ROOT } },
    config,
  );

  // A wildcard address is not something to click: show the loopback one instead.
  const shown = ["0.0.0.0", "::"].includes(config.HOST)
    ? `http://127.0.0.1:${server.port}`
    : server.url;
  console.log(`Catalyst is listening on ${server.url} (runs on ${runner.target})`);
  // The link carries a one-time token, never the key: a URL stays in the browser's history. The
  // token is in the fragment, which browsers send to no server (nor in Referer).
  const token = server.app.auth.loginLinks.issue();
  console.log(
    `Open this link to log in (it works once, within 10 minutes): ${shown}/#login=${token}`,
  );
  if (server.keyGenerated) {
    // Like Jupyter: the generated key is shown once; set APP_KEY to keep it across restarts.
    console.log(`Or type this key into the login form: ${server.appKey}`);
  } else {
    console.log("Or log in with APP_KEY in the login form.");
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      consoleLogger.warn("second signal: exiting now", { signal });
      process.exit(1);
    }
    stopping = true;
    const cancelRuns = config.SHUTDOWN_CANCELS_RUNS;
    consoleLogger.info(`shutting down: ${cancelRuns ? "cancelling runs" : "leaving runs going"}`, {
      signal,
    });
    void (async () => {
      try {
        await shutDown(server, runner, { cancelRuns }, consoleLogger);
        process.exit(0);
      } catch (err) {
        // Exiting anyway: a half-closed server is worse than one that stops with a reason.
        consoleLogger.error("shutdown failed", { error: String(err) });
        process.exit(1);
      }
    })();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
