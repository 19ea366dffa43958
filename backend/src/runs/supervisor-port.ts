// The supervisor's seams (supervise.ts): what it needs (its context and the run), what it gives
// the runner (StartedRun), and how a run gets going before it is supervised: launched by this
// server (run.ts) or attached to (attach.ts); both get the port and say how it went.
import type { RunOutcome } from "@catalyst/shared";
import type { Clock } from "../clock.js";
import type { ExecChild, Executor, ExitInfo } from "../exec/executor.js";
import type { ControlSession } from "./control.js";
import type { EventQueue } from "./event-queue.js";
import type { StopReason } from "./outcome.js";
import type { OutputPump } from "./output-pump.js";
import type { RunScripts, RunStatus } from "./run-scripts.js";
import type { RunHandle, RunOutput } from "./runner.js";

/** How the run got going: launched here (maybe with its relay channel), or attached to. */
export type Begun =
  | { kind: "running"; status: RunStatus | null }
  | { kind: "ended"; exit: ExitInfo; noCli: boolean }
  | { kind: "refused"; outcome: RunOutcome; exit: null; message: string };

/** What run.ts and attach.ts use to get a run going before it is followed. */
export interface SupervisorPort {
  readonly queue: EventQueue<RunOutput>;
  readonly control: ControlSession;
  readonly pump: OutputPump;
  /** A process of the run exists from now on (a cancel must stop it): its launch channel, if ours. */
  started(launch?: ExecChild): void;
  /** This channel relays the run's input (the launch channel, after the env header). */
  relay(channel: ExecChild): void;
  internalError(err: unknown): void;
  processGroup(pgid: number): void;
  readonly stop: StopReason | null;
  /** The server let go of the run (or its end is reported): stop waiting on the target. */
  readonly over: boolean;
  status(): Promise<RunStatus | null>;
  sweep(): Promise<void>;
  /** The link dropped before the run's leftovers could be swept. */
  owe(): void;
}

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

export interface SupervisedRun {
  runId: string;
  ideaId: string;
  /** ms since the epoch: run_finished's duration counts from here. */
  startedAt: number;
}
