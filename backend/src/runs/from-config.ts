// Builds the Runner the server uses from the configuration: SSH when SSH_HOST is set, else local.
import { existsSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { join } from "node:path";
import type { Config } from "../config.js";
import { createLocalExecutor } from "../exec/local.js";
import { createSshExecutor } from "../exec/ssh.js";
import type { Executor } from "../exec/executor.js";
import { createCliRunner, type CliRunner } from "./cli-runner.js";
import { parseExtraArgs } from "./command-line.js";
import { RUN_MARKER_NAME } from "./wrapper-script.js";
import { createSweepLedger, OWED_SWEEPS_FILE } from "./sweep-ledger.js";
import { consoleLogger } from "../deps.js";
import { createNodeFs } from "../fs/fs-port.js";

/** Throws an Error naming the variable when a value cannot be used (the caller prints it and exits). */
export function runnerFromConfig(
  config: Config,
  executor: Executor = executorFromConfig(config),
): CliRunner {
  const extra = parseExtraArgs(config.CLAUDE_EXTRA_ARGS);
  if (!extra.success) throw new Error(extra.error);
  if (RUN_MARKER_NAME in config.CLAUDE_ENV) {
    throw new Error(`CLAUDE_ENV: ${RUN_MARKER_NAME} is set by Catalyst itself`);
  }
  return createCliRunner({
    executor,
    claudeBin: config.CLAUDE_BIN,
    remoteRoot: config.REMOTE_ROOT,
    buildPermissionMode: config.BUILD_PERMISSION_MODE,
    claudeEnv: config.CLAUDE_ENV,
    extraArgs: extra.data,
    timeoutMs: config.CLAUDE_TIMEOUT_MS,
    cancelGraceMs: config.CANCEL_GRACE_MS,
    ledger: createSweepLedger(
      createNodeFs(),
      join(config.DATA_DIR, OWED_SWEEPS_FILE),
      consoleLogger,
    ),
    approvalTimeoutMs: config.APPROVAL_TIMEOUT_MS,
    orphanTimeoutMs: config.ORPHAN_TIMEOUT_MS,
  });
}

export function executorFromConfig(config: Config): Executor {
  if (!config.SSH_HOST) return createLocalExecutor({ env: cliEnvironment(process.env) });
  // Like ssh: without a key or an agent, use the first default key that exists.
  const keyPath =
    config.SSH_KEY_PATH ??
    (config.SSH_AUTH_SOCK
      ? undefined
      : ["id_ed25519", "id_ecdsa", "id_rsa"]
          .map((k) => join(homedir(), ".ssh", k))
          .find((p) => existsSync(p)));
  if (!keyPath && !config.SSH_AUTH_SOCK) {
    throw new Error(
      "SSH_HOST is set but there is no key: set SSH_KEY_PATH, or SSH_AUTH_SOCK for an SSH agent",
    );
  }
  return createSshExecutor({
    host: config.SSH_HOST,
    port: config.SSH_PORT,
    username: config.SSH_USER ?? userInfo().username,
    keyPath,
    passphrase: config.SSH_KEY_PASSPHRASE,
    agent: config.SSH_AUTH_SOCK,
    knownHostsPath: config.SSH_KNOWN_HOSTS,
    acceptNewHostKey: config.SSH_ACCEPT_NEW_HOST_KEY,
  });
}

/**
 * Catalyst's own secrets stay out of a local CLI's environment (its tools could print them).
 * CLAUDE_ENV too: the CLI gets its values one by one through the wrapper's stdin (secret-env.ts).
 */
export function cliEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const {
    APP_KEY: _appKey,
    SSH_KEY_PASSPHRASE: _passphrase,
    CLAUDE_ENV: _claudeEnv,
    ...rest
  } = env;
  return rest;
}
