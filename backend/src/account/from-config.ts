// Builds the account service from the configuration and the runner's executor (one SSH pool).
import { nanoid } from "nanoid";
import { systemClock } from "../clock.js";
import type { Config } from "../config.js";
import { consoleLogger, type Logger } from "../deps.js";
import type { Executor } from "../exec/executor.js";
import { createAccountService, type AccountService } from "./service.js";

export function accountFromConfig(
  config: Config,
  executor: Executor,
  logger: Logger = consoleLogger,
): AccountService {
  return createAccountService({
    executor,
    claudeBin: config.CLAUDE_BIN,
    remoteRoot: config.REMOTE_ROOT,
    claudeEnv: config.CLAUDE_ENV,
    clock: systemClock,
    logger,
    newId: () => nanoid(),
  });
}
