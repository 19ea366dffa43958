// One builder per run lifecycle event: the runner, the run service, start-up recovery, the fakes
// and the tests all write run_started / run_finished through these, so the shape lives in one place.
import type { RunFinishedEvent, RunMode, RunOutcome, RunStartedEvent } from "./events.js";

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
