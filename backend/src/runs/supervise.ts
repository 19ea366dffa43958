// Supervising a run that runs detached on its target: follows its output files by byte offset
// (follow.ts) through dropped links, keeps a channel to its input (input-channel.ts) for the live
// session (control.ts), touches its heartbeat, enforces the inactivity timeout, stops it on
// cancel, sweeps its leftovers and reports exactly one run_finished with the real outcome.
// Launching (launch.ts, run.ts) and attaching (attach.ts) both end up here.
import { runFinished, type ClaudeEvent, type RunOutcome } from "@catalyst/shared";
import { ExecError, type ExecChild, type Executor, type ExitInfo } from "../exec/executor.js";
import type { Clock } from "../clock.js";
import { createControlSession } from "./control.js";
import { createEventQueue } from "./event-queue.js";
import { startFollowing, type FollowEnd, type Follower } from "./follow.js";
import { keepInputChannel } from "./input-channel.js";
import { sweepScript } from "./kill-scripts.js";
import { describeRunEnd, exitInfoOf } from "./outcome.js";
import { createInactivity } from "./inactivity.js";
import { createStopping } from "./stopping.js";
import { createOutputPump } from "./output-pump.js";
import { relayInput } from "./run-input.js";
import type { RunAddress, RunScripts, RunStatus } from "./run-scripts.js";
import type { Begun, SupervisorPort } from "./supervisor-port.js";
import type { ResumePoint, RunHandle, RunOutput } from "./runner.js";

/** The server touches a followed run's heartbeat this often (the target's watchdog reads it). */
export const HEARTBEAT_MS = 60_000;

/**
 * How often to touch the heartbeat: HEARTBEAT_MS, or a third of a shorter ORPHAN_TIMEOUT_MS, so the
 * target's watchdog never ends a run a server is following.
 */
export function heartbeatEvery(orphanTimeoutMs: number | undefined): number {
  return Math.max(1000, Math.min(HEARTBEAT_MS, Math.floor((orphanTimeoutMs ?? Infinity) / 3)));
}
/** A follow script that ended oddly while the run lives is started again this many times. */
const FOLLOW_RETRIES = 3;

export interface SuperviseSettings {
  claudeBin: string;
  remoteRoot: string;
  timeoutMs: number;
  cancelGraceMs: number;
  /** A permission request nobody answers is denied after this long (the run goes on). */
  approvalTimeoutMs: number;
  /** The target ends a run whose heartbeat is older than this (ORPHAN_TIMEOUT_MS). */
  orphanTimeoutMs?: number;
}

export interface SuperviseContext extends SuperviseSettings {
  executor: Executor;
  clock: Clock;
  scripts: RunScripts;
  /** The connection dropped before the run's leftovers could be swept: do it once it is back. */
  oweSweep(runId: string, pgid: number | null): void;
}

/** The runner's handle on one supervised run (the idea's ActiveRun is in ideas/active-run.ts). */
export interface StartedRun extends RunHandle {
  /** Settles after run_finished was queued (or the run was let go). */
  readonly done: Promise<void>;
  /** Stops following and ends `events` without run_finished: the run goes on on the target. */
  detach(): void;
}

/** Why a run whose launch had not reached its target ends when the server stops. */
export const stoppedBeforeStart = (host: string) =>
  `The server stopped before the run started on ${host}.`;

export interface SupervisedRun {
  runId: string;
  ideaId: string;
  /** ms since the epoch: run_finished's duration counts from here. */
  startedAt: number;
}

export function supervise(
  ctx: SuperviseContext,
  run: SupervisedRun,
  from: { out: ResumePoint; err: ResumePoint },
  begin: (port: SupervisorPort) => Promise<Begun>,
  /** The run is launched by `begin`: nothing of it is on the target until its channel is up. */
  opts: { launching?: boolean } = {},
): StartedRun {
  const { clock, executor, scripts } = ctx;
  const address: RunAddress = { remoteRoot: ctx.remoteRoot, ideaId: run.ideaId, runId: run.runId };
  let started = false;
  let exited = false;
  let finished = false;
  let detached = false;
  /** Let go (server stopping) before the launch reached the target: it must not start now. */
  let letGoUnlaunched = false;
  /** A stop could not reach the target (the link is down): the sweep is owed, the run ends. */
  let abandoned = false;
  let follower: Follower | null = null;
  let launchChannel: ExecChild | null = null;
  let relayed = false;
  const timers: Array<() => void> = [];
  let internal: unknown = null;

  const queue = createEventQueue<RunOutput>({ onDrained: () => follower?.resume() });
  const input = relayInput(scripts.endInputLine);
  const channel = keepInputChannel({
    executor,
    clock,
    input,
    script: () => scripts.input(address),
    linkDown: () => follower?.linkDown ?? false,
    resending: (lines) =>
      notice("input_resent", "warning", resentMessage(lines, executor.hostLabel)),
  });
  const control = createControlSession({
    runId: run.runId,
    clock,
    approvalTimeoutMs: ctx.approvalTimeoutMs,
    answered(event) {
      // The wait for a person is over: inactivity counts from the answer.
      inactivity.activity();
      queue.push(event);
    },
    interruptFailed: () => stopping.escalate(),
  });
  control.attach(input);
  const pump = createOutputPump(
    queue,
    {
      activity: () => inactivity.activity(),
      decoded: (e) => control.observe(e),
      internalError: (err) => void failInternally(err),
      pause: () => follower?.pause(),
    },
    from,
  );

  const side = (script: string) =>
    executor.run(script).catch((err: unknown) => {
      // A lost link: the sweep happens on the next connection instead.
      if (err instanceof ExecError) ctx.oweSweep(run.runId, stopping.pgid);
    });
  const sweep = () => side(sweepScript(run.runId, stopping.pgid)).then(() => undefined);
  const status = async (): Promise<RunStatus | null> => {
    try {
      return scripts.parseStatus((await executor.run(scripts.status(address))).stdout);
    } catch {
      return null;
    }
  };

  const stopping = createStopping({
    clock,
    cancelGraceMs: ctx.cancelGraceMs,
    side: (script) => void side(script),
    sweep: () => void sweep(),
    interrupt: () => control.interrupt(),
    started: () => started,
    over: () => finished || exited,
    linkDown: () => follower?.linkDown ?? false,
    abandon() {
      abandoned = true;
      ctx.oweSweep(run.runId, stopping.pgid);
      follower?.stop();
    },
  });

  const inactivity = createInactivity({
    clock,
    timeoutMs: ctx.timeoutMs,
    // Output we hold back for a slow reader is not silence, nor is waiting for a person; and
    // while the link is down nothing is known about the run's output.
    heldBack: () => !!(follower?.paused || follower?.linkDown || control.waiting > 0),
    expired() {
      if (!finished && !exited) stopping.request("timeout");
    },
  });

  const heartbeat = () => {
    if (finished || detached || exited) return;
    if (!follower?.linkDown) void executor.run(scripts.heartbeat(address)).catch(() => undefined);
    timers.push(clock.setTimer(heartbeatEvery(ctx.orphanTimeoutMs), heartbeat));
  };

  const notice = (kind: string, level: "info" | "warning", message: string) => {
    const event: ClaudeEvent = { type: "notice", parentToolUseId: null, level, kind, message };
    queue.push(event);
  };

  const finish = (outcome: RunOutcome, exit: ExitInfo | null, message: string | null) => {
    if (finished || detached) return;
    finished = true;
    for (const cancel of timers) cancel();
    stopping.cancel();
    inactivity.stop();
    follower?.stop();
    control.close();
    channel.close();
    queue.push(
      runFinished({
        runId: run.runId,
        outcome,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        durationMs: Math.max(0, clock.now() - run.startedAt),
        message,
        stderrTail: outcome === "completed" ? [] : [...pump.stderrTail],
      }),
    );
    queue.end();
  };

  const finishWith = (
    exit: ExitInfo,
    more: { noCli?: boolean; folderGone?: boolean; orphaned?: boolean } = {},
  ) => {
    const [outcome, message] = describeRunEnd({
      internal: internal === null ? null : firstLine(internal),
      folderGone: more.folderGone ?? false,
      orphaned: more.orphaned ?? false,
      stop: stopping.reason,
      exit,
      noCli: more.noCli ?? false,
      failure: pump.failure,
      lastStderr: pump.stderrTail.at(-1) ?? null,
      timeoutMs: ctx.timeoutMs,
      host: executor.hostLabel,
      claudeBin: ctx.claudeBin,
    });
    finish(outcome, exit, message);
  };

  /** Follows the run until its output is all read (or the server lets go of it). */
  const follow = async (): Promise<FollowEnd> => {
    heartbeat();
    inactivity.start();
    for (let tries = 0; ; tries++) {
      follower = startFollowing({
        executor,
        clock,
        script: (f) => scripts.follow(address, f),
        position: () => pump.received(),
        data: (stream, chunk) => pump.push(stream, chunk),
        linkLost: () => {
          channel.drop();
          notice(
            "link_lost",
            "warning",
            `Lost the connection to ${executor.hostLabel}. The run goes on there; reconnecting…`,
          );
        },
        linkRestored: () => {
          notice(
            "link_restored",
            "info",
            `Connected to ${executor.hostLabel} again: the run is followed from where it was.`,
          );
          channel.reopen();
          void executor.run(scripts.heartbeat(address)).catch(() => undefined);
          // Attached while the target was unreachable: its process group is learned now.
          if (stopping.pgid === null)
            void status().then((s) => {
              if (s?.pgid != null) stopping.processGroup(s.pgid);
            });
        },
      });
      const end = await follower.done;
      if (end.kind !== "failed" || tries >= FOLLOW_RETRIES) return end;
      // Killed (a sweep) or broken: follow again only while the run still lives.
      const s = await status();
      if (s === null || !s.alive || s.exit !== null || s.orphaned) return end;
    }
  };

  const life = async () => {
    const begun = await begin(port);
    if (begun.kind === "ended") {
      exited = true;
      return finishWith(begun.exit, { noCli: begun.noCli });
    }
    if (begun.kind === "refused") {
      exited = true;
      return finish(begun.outcome, null, begun.message);
    }
    if (detached) return;
    started = true;
    const s = begun.status;
    // An attach: a channel to the input relay, unless the run has ended already.
    if (!relayed && s?.exit == null) channel.reopen();
    if (s?.pgid != null && stopping.pgid === null) stopping.processGroup(s.pgid);
    // The inactivity timeout counts from the last output written, also from before the attach.
    if (s?.lastWriteMs != null && s.nowMs != null) inactivity.lastWriteAgo(s.nowMs - s.lastWriteMs);
    const end = await follow();
    if (detached) return;
    exited = true;
    channel.close();
    pump.end();
    // Abandoned: the link is down, the sweep is owed already.
    if (abandoned) return finishWith({ code: null, signal: null, lost: true });
    const last = end.kind === "gone" ? null : await status();
    const folderGone = end.kind === "gone" || last?.folder === false;
    await sweep();
    // Before run_finished: the idea's next run may start right after it, and its folder must not
    // be taken for an old one's (a run that ends fast has an exit status before it is followed).
    if (!folderGone)
      await executor.run(scripts.cleanup(ctx.remoteRoot, run.ideaId, [run.runId])).catch(() => {});
    // No status (unreachable right then): how it ended is not known.
    const exit: ExitInfo =
      last === null
        ? { code: null, signal: null, lost: !folderGone }
        : last.exit !== null
          ? exitInfoOf(last.exit)
          : { code: null, signal: null, lost: false };
    finishWith(exit, { folderGone, orphaned: last?.orphaned ?? false });
  };

  /** A bug of ours: kill the process (nothing may outlive the run), then end it as failed. */
  const failInternally = async (err: unknown): Promise<void> => {
    if (internal !== null || finished) return;
    internal = err;
    follower?.stop();
    if (started && !exited) await sweep();
  };

  const port: SupervisorPort = {
    queue,
    control,
    pump,
    started(launch) {
      if (letGoUnlaunched) {
        // The connection came up after the server let go of the run: the wrapper goes on even
        // with its input closed, so whatever it started is swept (now, or at the next start).
        launch?.detach();
        ctx.oweSweep(run.runId, null);
        throw new ExecError("unreachable", stoppedBeforeStart(executor.hostLabel));
      }
      started = true;
      launchChannel = launch ?? null;
    },
    relay(c) {
      relayed = true;
      channel.use(c);
    },
    internalError: (err) => void failInternally(err),
    processGroup: (g) => stopping.processGroup(g),
    get stop() {
      return stopping.reason;
    },
    status,
    sweep,
    owe: () => ctx.oweSweep(run.runId, stopping.pgid),
  };

  const done = life().catch(async (err: unknown) => {
    await failInternally(err);
    channel.close();
    launchChannel?.detach();
    finish("failed", null, `Internal error: ${firstLine(internal ?? err)}`);
  });

  return {
    runId: run.runId,
    events: queue,
    cancel: () => stopping.request("cancel"),
    answer: (requestId, answer, by) => control.answer(requestId, answer, by),
    send(message) {
      if (finished || exited || stopping.reason !== null || !control.sendUser(message))
        return false;
      queue.push({ type: "user_message_queued", runId: run.runId, message });
      return true;
    },
    sourceOf: (event) => pump.sourceOf(event),
    letGo() {
      if (finished) return false;
      if (opts.launching && !started) {
        // Nothing of it is on the target: it ends as a run that could not start, not detached.
        letGoUnlaunched = true;
        exited = true;
        finish("failed", null, stoppedBeforeStart(executor.hostLabel));
        return false;
      }
      this.detach();
      return true;
    },
    detach() {
      if (finished || detached) return;
      detached = true;
      for (const cancel of timers) cancel();
      stopping.cancel();
      inactivity.stop();
      control.detach();
      follower?.stop();
      channel.close();
      queue.end();
    },
    done,
  };
}

/** Input lines written as the link dropped, unconfirmed, sent again (input-channel.ts). */
function resentMessage(lines: number, host: string): string {
  const what = lines === 1 ? "A message or answer" : `${lines} messages or answers`;
  return `${what} written as the connection to ${host} dropped went unconfirmed and ${lines === 1 ? "was" : "were"} sent again; had ${lines === 1 ? "it" : "they"} arrived after all, the run sees ${lines === 1 ? "it" : "them"} twice.`;
}

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}
