// One run of the CLI: start it through the executor as a live session (control.ts speaks its
// stdin protocol), pump its output (output-pump.ts), enforce the inactivity timeout, stop it on
// cancel, sweep its leftovers, and report exactly one run_finished.
import { runFinished, runStarted, type RunOutcome } from "@catalyst/shared";
import { ExecError, type ExecChild, type Executor, type ExitInfo } from "../exec/executor.js";
import type { Clock } from "../clock.js";
import { cliArgs } from "./command-line.js";
import { createControlSession } from "./control.js";
import { createEventQueue } from "./event-queue.js";
import { signalGroupScript, sweepScript } from "./kill-scripts.js";
import { describeOutcome, type StopReason } from "./outcome.js";
import { createOutputPump } from "./output-pump.js";
import { stdinInput } from "./run-input.js";
import type { RunHandle, RunOutput, RunSpec } from "./runner.js";
import { envHeader } from "./secret-env.js";
import { buildWrapperScript } from "./wrapper-script.js";

export interface RunSettings {
  claudeBin: string;
  remoteRoot: string;
  buildPermissionMode: string;
  claudeEnv: Readonly<Record<string, string>>;
  extraArgs: readonly string[];
  timeoutMs: number;
  cancelGraceMs: number;
  /** A permission request nobody answers is denied after this long (the run goes on). */
  approvalTimeoutMs: number;
  /** How long the target's login shell may take to report its PATH (30 s by default). */
  loginShellTimeoutS?: number;
  /** A detached run no server follows ends itself after this long (ORPHAN_TIMEOUT_MS). */
  orphanTimeoutMs?: number;
}

export interface RunContext extends RunSettings {
  executor: Executor;
  clock: Clock;
  /** The target's login PATH, cached across runs (asking the login shell can take a second). */
  loginPath: { get(): string | null; set(path: string): void; forget(): void };
  /** The connection dropped before the run's leftovers could be swept: do it once it is back. */
  oweSweep(runId: string, pgid: number | null): void;
}

/** The runner's handle on one started CLI process (the idea's ActiveRun is in ideas/active-run.ts). */
export interface StartedRun extends RunHandle {
  /** Settles after run_finished was queued. */
  readonly done: Promise<void>;
}

/** After the process ended, how long output may stay silent before we stop waiting for EOF. */
const DRAIN_IDLE_MS = 2000;

export function startRun(ctx: RunContext, spec: RunSpec): StartedRun {
  const { clock, executor } = ctx;
  const startedAt = clock.now();
  let lastActivity = startedAt;
  let stop: StopReason | null = null;
  let pgid: number | null = null;
  let noCli = false;
  let exited = false;
  let finished = false;
  let child: ExecChild | null = null;
  const timers: Array<() => void> = [];
  let internal: unknown = null;

  // Both streams pause together: over SSH they share one window, and locally stderr is its own
  // pipe, so a paused stdout alone would not stop a flood on stderr from filling memory.
  const queue = createEventQueue<RunOutput>({
    onDrained: () => {
      child?.stdout.resume();
      child?.stderr.resume();
    },
  });
  queue.push(
    runStarted({
      runId: spec.runId,
      mode: spec.mode,
      prompt: spec.prompt,
      resumeSessionId: spec.resumeSessionId,
      target: executor.target,
      startedAt: new Date(startedAt).toISOString(),
    }),
  );

  const control = createControlSession({
    runId: spec.runId,
    clock,
    approvalTimeoutMs: ctx.approvalTimeoutMs,
    answered(event) {
      // The wait for a person is over: inactivity counts from the answer.
      lastActivity = clock.now();
      queue.push(event);
    },
    interruptFailed: () => escalateStop(),
  });
  control.sendUser(spec.prompt);

  const output = createOutputPump(queue, {
    activity: () => (lastActivity = clock.now()),
    decoded: (e) => control.observe(e),
    processGroup(g) {
      if (pgid !== null) return;
      pgid = g;
      if (escalated) signalStop(g);
    },
    noCli() {
      noCli = true;
      // Maybe it was installed since: ask the login shell again next time.
      ctx.loginPath.forget();
    },
    loginPath: (value) => ctx.loginPath.set(value),
    internalError: (err) => void failInternally(err),
  });

  const side = (script: string) =>
    executor.run(script).catch((err: unknown) => {
      // A lost link: the sweep happens on the next connection instead.
      if (err instanceof ExecError) ctx.oweSweep(spec.runId, pgid);
    });

  const sweep = () => side(sweepScript(spec.runId, pgid));

  const signalStop = (target: number) => {
    void side(signalGroupScript(target, "INT"));
    timers.push(
      clock.setTimer(ctx.cancelGraceMs, () => {
        if (!exited) void sweep();
      }),
    );
  };

  const requestStop = (reason: StopReason) => {
    // After the exit there is nothing to stop (the end's sweep runs anyway), and its group id
    // may already belong to someone else.
    if (stop !== null || finished || exited) return;
    stop = reason;
    // The CLI's own interrupt ends the turn cleanly (a result, then the exit once its input
    // closes); signals only when it has not ended within the grace period.
    if (child !== null && control.interrupt()) {
      timers.push(clock.setTimer(ctx.cancelGraceMs, escalateStop));
      return;
    }
    escalateStop();
  };

  let escalated = false;
  const escalateStop = () => {
    if (escalated || finished || exited) return;
    escalated = true;
    if (pgid !== null) signalStop(pgid);
    // Before the wrapper reported its group, only the run marker can find the processes. Once
    // the group is known it gets its SIGINT and its own grace period instead.
    else
      timers.push(
        clock.setTimer(ctx.cancelGraceMs, () => {
          if (!exited && pgid === null) void sweep();
        }),
      );
  };

  const armIdle = (ms: number) => {
    timers.push(
      clock.setTimer(ms, () => {
        if (finished || stop !== null || exited) return;
        // Output we hold back for a slow reader is not silence, nor is waiting for a person.
        if (child?.stdout.isPaused() || control.waiting > 0) lastActivity = clock.now();
        const idle = clock.now() - lastActivity;
        if (idle >= ctx.timeoutMs) requestStop("timeout");
        else armIdle(ctx.timeoutMs - idle);
      }),
    );
  };

  const finish = (outcome: RunOutcome, exit: ExitInfo | null, message: string | null) => {
    if (finished) return;
    finished = true;
    for (const cancel of timers) cancel();
    control.close();
    queue.push(
      runFinished({
        runId: spec.runId,
        outcome,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        durationMs: clock.now() - startedAt,
        message,
        stderrTail: outcome === "completed" ? [] : [...output.stderrTail],
      }),
    );
    queue.end();
  };

  const waitForEof = async (c: ExecChild) => {
    let closed = false;
    void c.closed.then(() => (closed = true));
    while (!closed) {
      const before = lastActivity;
      await Promise.race([
        c.closed,
        new Promise<void>((r) => timers.push(clock.setTimer(DRAIN_IDLE_MS, r))),
      ]);
      // Keep waiting while output still flows or the reader holds it back (paused stream).
      if (!closed && before === lastActivity && !c.stdout.isPaused()) return;
    }
  };

  const run = async () => {
    let script: string;
    let header: Buffer;
    try {
      header = envHeader(ctx.claudeEnv);
      script = buildWrapperScript({
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
      });
    } catch (err) {
      finish("failed", null, `Cannot start the run: ${firstLine(err)}`);
      return;
    }
    let c: ExecChild;
    try {
      c = await executor.start(script);
    } catch (err) {
      // Cancelled while connecting: what the person asked for happened, whatever the link did.
      if (stop === "cancel") finish("cancelled", null, "Stopped on request.");
      else
        finish(
          "failed",
          null,
          err instanceof ExecError ? err.message : `Cannot start the run: ${firstLine(err)}`,
        );
      return;
    }
    child = c;
    lastActivity = clock.now();
    armIdle(ctx.timeoutMs);
    output.attach(c);
    // The wrapper reads its secret environment lines first; the live session's lines follow.
    c.stdin.write(header);
    control.attach(stdinInput(c.stdin));

    const exit = await c.exit;
    exited = true;
    if (exit.lost) ctx.oweSweep(spec.runId, pgid);
    else await sweep();
    await waitForEof(c);
    c.detach();
    output.end();
    if (internal !== null) {
      finish("failed", exit, `Internal error: ${firstLine(internal)}`);
      return;
    }
    const [outcome, message] = describeOutcome({
      stop,
      exit,
      noCli,
      failure: output.failure,
      lastStderr: output.stderrTail.at(-1) ?? null,
      timeoutMs: ctx.timeoutMs,
      host: executor.hostLabel,
      claudeBin: ctx.claudeBin,
    });
    finish(outcome, exit, message);
  };

  /** A bug of ours: kill the process (nothing may outlive the run), then end it as failed. */
  const failInternally = async (err: unknown): Promise<void> => {
    if (internal !== null || finished) return;
    internal = err;
    if (child !== null && !exited) await sweep();
  };

  const done = run().catch(async (err: unknown) => {
    await failInternally(err);
    child?.detach();
    finish("failed", null, `Internal error: ${firstLine(internal ?? err)}`);
  });

  return {
    runId: spec.runId,
    events: queue,
    cancel: () => requestStop("cancel"),
    answer: (requestId, answer, by) => control.answer(requestId, answer, by),
    send(message) {
      if (finished || exited || stop !== null || !control.sendUser(message)) return false;
      queue.push({ type: "user_message_queued", runId: spec.runId, message });
      return true;
    },
    // Piped output has no file to resume in (until runs are detached: issue #11).
    sourceOf: () => null,
    done,
  };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}
