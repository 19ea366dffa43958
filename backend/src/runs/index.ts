// The runs module's public face.
export { runnerFromConfig, executorFromConfig } from "./from-config.js";
export { createCliRunner, type CliRunner, type CliRunnerOptions } from "./cli-runner.js";
export type { CliProbe, Runner, RunHandle, RunOutput, RunSpec } from "./runner.js";
