// The backend's public face for the page's browser tests and the scripts (@catalyst/backend): the
// server, its configuration, the runner and the executors. The decoder is @catalyst/backend/stream;
// the test harnesses (sshd, Chromium, requireService) are @catalyst/backend/testing/<file>.
export { parseConfig, type Config } from "./config.js";
export { consoleLogger, silentLogger, type Logger } from "./deps.js";
export {
  startServer,
  type RunningServer,
  type ServerDeps,
  type ServerOptions,
} from "./http/start-server.js";
export type { Executor } from "./exec/executor.js";
export { createLocalExecutor } from "./exec/local.js";
export { createSshExecutor } from "./exec/ssh.js";
export { createCliRunner, type CliRunner, type CliRunnerOptions } from "./runs/cli-runner.js";
export { runnerFromConfig, executorFromConfig } from "./runs/from-config.js";
export { accountFromConfig } from "./account/from-config.js";
export { describeOutcome, resultFailure } from "./runs/outcome.js";
export type { CliProbe, Runner, RunHandle, RunOutput, RunSpec } from "./runs/runner.js";
// The scripts a run is launched and followed with on the target, as they are, for bench:follow.
export { buildLaunchScript, buildWrapperScript } from "./runs/wrapper-script.js";
export { END_INPUT_LINE, followScript } from "./runs/run-folder.js";
export { envHeader } from "./runs/secret-env.js";
export { EXEC_MARKER } from "./runs/markers.js";
