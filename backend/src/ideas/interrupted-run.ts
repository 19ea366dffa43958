// What the transcript says of a run an earlier server process left going: enough to follow it again.
import type {
  IdeaMeta,
  IdeaStatus,
  PermissionRequestEvent,
  RunStartedEvent,
} from "@catalyst/shared";
import type { ResumePoint, RunRef } from "../runs/runner.js";
import type { IdeaStore } from "./store.js";

/** What the transcript says of a run an earlier server process left going (see recover.ts). */
export interface InterruptedRun {
  ref: RunRef;
  /** The idea's status before the run began: what a build that is cancelled goes back to. */
  before: IdeaStatus;
  /** The session its run_started resumed (null: a new conversation). */
  resumeSessionId: string | null;
  /** The session total the run's costs count from, and the run's own cost already counted. */
  cost: { base: number; counted: number };
  /** Whether the run's last top-level result so far was an error. */
  errorResult: boolean;
  /** A cancel was asked for before the restart: it is asked again of the reattached run. */
  cancelRequested: boolean;
}

/** What one read of a transcript found about a run that the meta still names as active. */
export type FoundRun =
  /** The run began: it can be followed again (`Runner.attach`). */
  | { kind: "begun"; run: InterruptedRun }
  /**
   * Its run_finished is written (a crash before the meta was freed), or it never got as far as
   * its run_started: nothing to follow. `waiting`: its requests nobody answered.
   */
  | { kind: "finished" | "unstarted"; waiting: PermissionRequestEvent[] };

/**
 * Reads the idea's transcript once, as a stream (memory stays flat however long it is), keeping
 * only what concerns the run `meta.activeRunId`.
 */
export async function findInterruptedRun(
  store: IdeaStore,
  meta: IdeaMeta & { activeRunId: string },
): Promise<FoundRun> {
  const runId = meta.activeRunId;
  let started: { event: RunStartedEvent; ts: string } | null = null;
  let finished = false;
  let before: IdeaStatus | null = null;
  let cancelRequested = false;
  let errorResult = false;
  let lastResult: { own: number; reported: number } | null = null;
  let counted = 0;
  const resume: { out: ResumePoint; err: ResumePoint } = {
    out: { offset: 0, skip: 0 },
    err: { offset: 0, skip: 0 },
  };
  const waiting = new Map<string, PermissionRequestEvent>();
  for await (const entry of store.events(meta.id, 0)) {
    const { event } = entry;
    // An answer can only be to a request of its own run, whatever runId its entry carries.
    if (event.type === "permission_answered") waiting.delete(event.requestId);
    if (entry.runId !== runId) continue;
    // Where the output stops in the transcript: each stream's last written event.
    if (entry.src) resume[entry.src.stream] = { offset: entry.src.line, skip: entry.src.index + 1 };
    switch (event.type) {
      case "status_changed":
        before ??= event.previous;
        break;
      case "run_started":
        started = { event, ts: entry.ts };
        break;
      case "run_finished":
        finished = true;
        break;
      case "cancel_requested":
        cancelRequested = true;
        break;
      case "permission_request":
        waiting.set(event.requestId, event);
        break;
      case "result":
        if (!event.parentToolUseId) errorResult = event.isError;
        // As recorded: the run's own cost, with the CLI's session total beside it.
        if (event.costUsd !== null && typeof event.sessionCostUsd === "number") {
          lastResult = { own: event.costUsd, reported: event.sessionCostUsd };
          counted = Math.max(counted, event.costUsd);
        }
        break;
    }
  }
  if (finished) return { kind: "finished", waiting: [...waiting.values()] };
  if (!started) return { kind: "unstarted", waiting: [...waiting.values()] };
  const startedAt = Date.parse(started.event.startedAt);
  return {
    kind: "begun",
    run: {
      ref: {
        runId,
        ideaId: meta.id,
        mode: started.event.mode,
        startedAt: Number.isNaN(startedAt) ? Date.parse(started.ts) : startedAt,
        resume,
        waiting: [...waiting.values()],
      },
      // No status_changed of its own: the run did not change the status (it was already that).
      before: before ?? meta.status,
      resumeSessionId: started.event.resumeSessionId,
      cost: {
        // The session's total before the run: from its last result, else still in the meta
        // (the run's init resets it to 0 when it began a new conversation).
        base: lastResult
          ? lastResult.reported - lastResult.own
          : meta.sessionId === null
            ? 0
            : (meta.sessionCostUsd ?? 0),
        counted,
      },
      errorResult,
      cancelRequested,
    },
  };
}
