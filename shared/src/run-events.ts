// One builder per run event: the runner, the run service, start-up recovery, the fakes and the
// tests all write run_started / run_finished (and the fakes a result) through these, so each
// shape lives in one place.
import type {
  ClaudeEvent,
  RunFinishedEvent,
  RunMode,
  RunOutcome,
  RunStartedEvent,
} from "./events.js";

type ResultEvent = Extract<ClaudeEvent, { type: "result" }>;

export function runStarted(f: {
  runId: string;
  mode: RunMode;
  prompt: string;
  target: string;
  startedAt: string;
  resumeSessionId?: string | null;
}): RunStartedEvent {
  return {
    type: "run_started",
    runId: f.runId,
    mode: f.mode,
    prompt: f.prompt,
    resumeSessionId: f.resumeSessionId ?? null,
    target: f.target,
    startedAt: f.startedAt,
  };
}

/** A run's end. Without a process to report on (recovery, a runner that broke), the figures are empty. */
export function runFinished(f: {
  runId: string;
  outcome: RunOutcome;
  message?: string | null;
  exitCode?: number | null;
  signal?: string | null;
  durationMs?: number;
  stderrTail?: string[];
}): RunFinishedEvent {
  return {
    type: "run_finished",
    runId: f.runId,
    outcome: f.outcome,
    exitCode: f.exitCode ?? null,
    signal: f.signal ?? null,
    durationMs: f.durationMs ?? 0,
    message: f.message ?? null,
    stderrTail: f.stderrTail ?? [],
  };
}

/** A CLI `result` as the decoder gives it; what is not said is empty (a fake's or a test's run). */
export function resultEvent(f: Partial<Omit<ResultEvent, "type">> = {}): ResultEvent {
  const isError = f.isError ?? false;
  return {
    type: "result",
    parentToolUseId: f.parentToolUseId ?? null,
    subtype: f.subtype ?? (isError ? "error_during_execution" : "success"),
    isError,
    costUsd: f.costUsd ?? null,
    ...(f.sessionCostUsd === undefined ? {} : { sessionCostUsd: f.sessionCostUsd }),
    durationMs: f.durationMs ?? null,
    numTurns: f.numTurns ?? null,
    text: f.text ?? null,
    errors: f.errors ?? [],
    permissionDenials: f.permissionDenials ?? [],
    sessionId: f.sessionId ?? null,
    usage: f.usage ?? null,
    ...(f.sessionTokens === undefined ? {} : { sessionTokens: f.sessionTokens }),
  };
}
