// Launching a run: the wrapper script on a channel of its own, the secret environment first on its
// stdin, its prelude on stderr (login PATH, process group, a missing CLI) until it says the CLI
// runs detached on the target. The channel then relays the run's input.
import type { ClaudeEvent } from "@catalyst/shared";
import type { ExecChild, Executor, ExitInfo } from "../exec/executor.js";
import { createStderrDecoder } from "../stream/index.js";
import { cliArgs } from "./command-line.js";
import { createPreludeFilter } from "./markers.js";
import type { RunScripts } from "./run-scripts.js";
import type { RunSpec } from "./runner.js";
import { envHeader } from "./secret-env.js";
import { orphanTimeoutSeconds } from "./supervisor-script.js";

export interface LaunchSettings {
  claudeBin: string;
  remoteRoot: string;
  buildPermissionMode: string;
  claudeEnv: Readonly<Record<string, string>>;
  extraArgs: readonly string[];
  loginShellTimeoutS?: number;
  /** A detached run no server follows ends itself after this long (ORPHAN_TIMEOUT_MS). */
  orphanTimeoutMs?: number;
}

export interface LaunchContext extends LaunchSettings {
  executor: Executor;
  scripts: RunScripts;
  loginPath: { get(): string | null; set(path: string): void; forget(): void };
}

export interface LaunchHooks {
  /** The launch channel is up (a cancel from now on has a process to stop). */
  started(channel: ExecChild): void;
  /** The run's process group (the CLI's own). */
  processGroup(pgid: number): void;
  /** What the wrapper wrote on stderr that is not its prelude (a failing mkdir...). */
  stderr(events: ClaudeEvent[]): void;
  /** The env header is written: the channel takes the run's input lines from now on. */
  relay(channel: ExecChild): void;
  /** Handling the wrapper's output threw: a bug of ours. */
  internalError(err: unknown): void;
}

/** `launched`: the CLI runs; the channel relays its input. Else how the wrapper ended. */
export type Launch = { kind: "launched" } | { kind: "ended"; exit: ExitInfo; noCli: boolean };

/** Builds the script (throws on a bad spec) and starts it (throws ExecError when unreachable). */
export async function launchRun(
  ctx: LaunchContext,
  spec: RunSpec,
  hooks: LaunchHooks,
): Promise<Launch> {
  const header = envHeader(ctx.claudeEnv);
  const script = ctx.scripts.launch({
    runId: spec.runId,
    ideaId: spec.ideaId,
    remoteRoot: ctx.remoteRoot,
    claudeBin: ctx.claudeBin,
    args: cliArgs({
      mode: spec.mode,
      resumeSessionId: spec.resumeSessionId,
      maxBudgetUsd: spec.maxBudgetUsd ?? null,
      buildPermissionMode: ctx.buildPermissionMode,
      extraArgs: ctx.extraArgs,
    }),
    knownPath: ctx.loginPath.get(),
    loginTimeoutS: ctx.loginShellTimeoutS,
    ...(ctx.orphanTimeoutMs ? { orphanTimeoutS: orphanTimeoutSeconds(ctx.orphanTimeoutMs) } : {}),
  });
  const c = await ctx.executor.start(script);
  hooks.started(c);
  // The wrapper reads its secret environment lines first; the live session's lines follow.
  c.stdin.write(header);
  hooks.relay(c);

  let noCli = false;
  let launched: () => void = () => {};
  const execSeen = new Promise<"launched">((r) => (launched = () => r("launched")));
  const stderr = createStderrDecoder();
  const prelude = createPreludeFilter({
    processGroup: (g) => hooks.processGroup(g),
    noCli() {
      noCli = true;
      // Maybe it was installed since: ask the login shell again next time.
      ctx.loginPath.forget();
    },
    loginPath: (value) => ctx.loginPath.set(value),
    exec() {
      running = true;
      launched();
    },
  });
  let running = false;
  const onStderr = (chunk: Buffer) => {
    // After the exec marker the wrapper is the input relay: its stderr is not the CLI's.
    if (running) return;
    // A throw in a stream listener would be an uncaught exception: the server would end.
    try {
      const own = prelude.push(chunk);
      if (own.length > 0) hooks.stderr(stderr.push(own));
    } catch (err) {
      hooks.internalError(err);
    }
  };
  c.stderr.on("data", onStderr);
  // The launch channel's stdout carries nothing; read it so it never fills.
  c.stdout.resume();

  const first = await Promise.race([execSeen, c.exit]);
  if (first === "launched") {
    running = true;
    return { kind: "launched" };
  }
  await c.closed;
  const rest = prelude.end();
  if (rest.length > 0) hooks.stderr(stderr.push(rest));
  hooks.stderr(stderr.end());
  c.detach();
  return { kind: "ended", exit: first, noCli };
}
