// The contract between the server (ideas, relay) and whatever runs the Claude Code CLI.
import type {
  ClaudeEvent,
  OutputSource,
  PermissionAnswer,
  PermissionAnsweredEvent,
  PermissionRequestEvent,
  RunFinishedEvent,
  RunMode,
  RunStartedEvent,
  UserMessageQueuedEvent,
} from "@catalyst/shared";
import type { AnsweredBy, AnswerResult } from "./control.js";

export type { AnsweredBy, AnswerResult } from "./control.js";

export interface RunSpec {
  runId: string;
  ideaId: string;
  mode: RunMode;
  /** Written to the CLI's stdin, never to argv or a shell. */
  prompt: string;
  /** Passed as `--resume` when set; validated as a session id by the runner too. */
  resumeSessionId: string | null;
  /** Passed as `--max-budget-usd` when set: what the run may still spend under the budgets. */
  maxBudgetUsd?: number | null;
}

/**
 * What a run yields, in order: one `run_started`, decoded events (with the answers to permission
 * requests and the messages sent into the run among them), exactly one `run_finished`.
 */
export type RunOutput =
  | RunStartedEvent
  | ClaudeEvent
  | PermissionAnsweredEvent
  | UserMessageQueuedEvent
  | RunFinishedEvent;

/**
 * Where an event came from in the run's output files on the target: the first byte of its line,
 * and its place among the events decoded from that line (one line can yield several, and a crash
 * can fall between their appends to the transcript). Stored as the transcript entry's `src`.
 */
export type { OutputSource } from "@catalyst/shared";

/** Where reading one output file resumes: a line's first byte, and how many of that line's events the transcript already holds. */
export interface ResumePoint {
  offset: number;
  skip: number;
}

/** A run that may still be going on the target, as the transcript knows it (see Runner.attach). */
export interface RunRef {
  runId: string;
  ideaId: string;
  mode: RunMode;
  /** Its run_started time (ms since the epoch): run_finished's duration counts from there. */
  startedAt: number;
  /** Where its output stops in the transcript (from the last entries' OutputSource). */
  resume: { out: ResumePoint; err: ResumePoint };
  /** Its permission requests that no answer followed in the transcript: still answerable. */
  waiting: PermissionRequestEvent[];
}

export interface RunHandle {
  readonly runId: string;
  /** Ends after `run_finished`. Never throws: failures arrive as a `run_finished`. */
  readonly events: AsyncIterable<RunOutput>;
  /**
   * The CLI's `interrupt` first; SIGINT to the run's process group if it has not ended within the
   * grace period, SIGKILL after another. Idempotent.
   */
  cancel(): void;
  /** Answers a waiting permission_request (a `permission_answered` follows in `events`). */
  answer(requestId: string, answer: PermissionAnswer, by: AnsweredBy): AnswerResult;
  /**
   * Writes a message into the running session (a `user_message_queued` follows in `events`); false
   * when the run is ending and takes no more.
   */
  send(message: string): boolean;
  /** Where a decoded event came from in the output files; null for what the server made. */
  sourceOf(event: RunOutput): OutputSource | null;
  /**
   * The server stops, leaving runs going. True: the run may go on on the target (its launch
   * reached it, or it was attached to); `events` end without run_finished, a later start attaches.
   * False: its launch had not reached the target (or it has ended): it ends now, its run_finished
   * ("The server stopped before the run started on <host>.") follows in `events`.
   */
  letGo(): boolean;
}

export interface CliProbe {
  /** Where runs happen: "local" or "user@host:port". */
  target: string;
  cliFound: boolean;
  cliVersion: string | null;
  /** A sentence a person understands when the CLI cannot be run. */
  error: string | null;
}

export interface Runner {
  readonly target: string;
  start(spec: RunSpec): RunHandle;
  /**
   * Follows a run that an earlier server process started, from where its transcript stops. Its
   * events: no run_started (the transcript has it), the output not yet in the transcript, then
   * exactly one run_finished with the run's real outcome (`disconnected` when nothing of it is
   * left on the target). Never throws.
   */
  attach(ref: RunRef): RunHandle;
  /**
   * Kills whatever run `runId` left on the target: every process carrying its marker
   * (CATALYST_RUN_ID). For a run this process no longer tracks (it died with an earlier server).
   * Never throws: while the target cannot be reached the sweep is owed and retried.
   */
  sweep(runId: string): Promise<void>;
  /** Checks that the target is reachable and the CLI is there (for /api/health). */
  probe(): Promise<CliProbe>;
  /**
   * Stops following every active run, then closes connections. With `detach` the runs go on on
   * the target for a later `attach`; without, each is cancelled first.
   */
  close(opts?: { detach?: boolean }): Promise<void>;
}
