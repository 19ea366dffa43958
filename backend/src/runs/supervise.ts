// Supervising a run that runs detached on its target: follows its output files by byte offset
// (follow-run.ts) through dropped links, keeps a channel to its input (input-channel.ts) for the
// live session (control.ts), touches its heartbeat (heartbeat.ts), enforces the inactivity
// timeout (inactivity.ts), stops it on cancel (stopping.ts), sweeps its leftovers
// (run-commands.ts) and reports exactly one run_finished with the real outcome. Launching
// (launch.ts, run.ts) and attaching (attach.ts) both end up here (supervisor-port.ts).
import { runFinished, type RunOutcome } from "@catalyst/shared";
import { ExecError, type ExecChild, type ExitInfo } from "../exec/executor.js";
import { createControlSession } from "./control.js";
import { createEventQueue } from "./event-queue.js";
import type { FollowEnd, Follower } from "./follow.js";
import { followToEnd } from "./follow-run.js";
import { keepHeartbeat } from "./heartbeat.js";
import { keepInputChannel } from "./input-channel.js";
import { describeRunEnd } from "./outcome.js";
import { createInactivity } from "./inactivity.js";
import { createStopping } from "./stopping.js";
import { createOutputPump } from "./output-pump.js";
import { collectEnd, runCommands } from "./run-commands.js";
import { relayInput } from "./run-input.js";
import {
  firstLine,
  linkLostMessage,
  linkRestoredMessage,
  noticeEvent,
  resentMessage,
  stoppedBeforeStart,
} from "./run-notices.js";
import type { RunAddress } from "./run-scripts.js";
import type {
  Begun,
  StartedRun,
  SupervisedRun,
  SuperviseContext,
  SupervisorPort,
} from "./supervisor-port.js";
import type { ResumePoint, RunOutput } from "./runner.js";

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

  const commands = runCommands({
    executor,
    scripts,
    address,
    pgid: () => stopping.pgid,
    oweSweep: () => ctx.oweSweep(run.runId, stopping.pgid),
  });
  const { side, sweep, status } = commands;

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

  const touchHeartbeat = () => void executor.run(scripts.heartbeat(address)).catch(() => {});
  const heartbeat = keepHeartbeat({
    clock,
    orphanTimeoutMs: ctx.orphanTimeoutMs,
    touch: touchHeartbeat,
    following: () => !(finished || detached || exited),
    linkDown: () => follower?.linkDown ?? false,
  });

  const notice = (kind: string, level: "info" | "warning", message: string) =>
    queue.push(noticeEvent(kind, level, message));

  const finish = (outcome: RunOutcome, exit: ExitInfo | null, message: string | null) => {
    if (finished || detached) return;
    finished = true;
    heartbeat.stop();
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
  const follow = (): Promise<FollowEnd> => {
    heartbeat.start();
    inactivity.start();
    return followToEnd({
      executor,
      clock,
      script: (f) => scripts.follow(address, f),
      position: () => pump.received(),
      data: (stream, chunk) => pump.push(stream, chunk),
      following: (f) => (follower = f),
      status,
      linkLost: () => {
        channel.drop();
        notice("link_lost", "warning", linkLostMessage(executor.hostLabel));
      },
      linkRestored: () => {
        notice("link_restored", "info", linkRestoredMessage(executor.hostLabel));
        channel.reopen();
        touchHeartbeat();
        // Attached while the target was unreachable: its process group is learned now.
        if (stopping.pgid === null)
          void status().then((s) => {
            if (s?.pgid != null) stopping.processGroup(s.pgid);
          });
      },
    });
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
    const { exit, ...more } = await collectEnd({ executor, scripts, address, commands }, end);
    finishWith(exit, more);
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
    get over() {
      return finished || detached;
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
      heartbeat.stop();
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
