// One run's output into the transcript and meta: the session id at init, each result's own cost,
// permission requests (answered by the idea's policy when it may), and exactly one run_finished.
import {
  runFinished,
  sessionIdSchema,
  type ApprovalsPolicy,
  type IdeaStatus,
  type OutputSource,
  type RunOutcome,
  type TranscriptEvent,
} from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { RunHandle, RunOutput } from "../runs/runner.js";
import type { ActiveRun } from "./active-run.js";
import { policyAnswer, policyOf } from "./approvals.js";
import { saysSessionMissing } from "./prompts.js";
import type { RunCost } from "./run-cost.js";
import type { RunJournal } from "./run-journal.js";
import type { IdeaStore } from "./store.js";

export interface RunRecorderDeps {
  store: IdeaStore;
  journal: RunJournal;
  logger: Logger;
  /** The approvals policy of an idea without its own (BUILD_APPROVALS). */
  defaultApprovals: ApprovalsPolicy;
}

/** Where the recording of a run begins. */
export interface RecordingStart {
  /** What the person wrote: the transcript shows it as the run's prompt. */
  shown: string;
  /** The run's own cost from the CLI's running totals. */
  cost: RunCost;
  /**
   * A run reattached after a restart: what the transcript already says of it (a reattached run
   * yields no run_started, which is where a started run's recording learns these).
   */
  carried?: { resumeSessionId: string | null; errorResult: boolean };
}

export interface RecordedRun {
  /** The run failed because the session it resumed is gone from the target. */
  sessionMissing: boolean;
  resumed: boolean;
  outcome: RunOutcome;
  errorResult: boolean;
  /** The server shut down leaving the run going: nothing more was recorded, no end. */
  detached: boolean;
}

/**
 * What the run service lends the driver of one run, started (started-run.ts) or reattached
 * (reattached-run.ts): the recording of its output with the idea's settings, and its end.
 */
export interface RunLifecycle {
  record(
    ideaId: string,
    run: ActiveRun,
    handle: RunHandle,
    start: RecordingStart,
  ): Promise<RecordedRun>;
  /** Status after a build, meta freed, no longer active. */
  settle(
    ideaId: string,
    run: ActiveRun,
    before: IdeaStatus | null,
    ended: RecordedRun | null,
  ): Promise<void>;
}

const EVENTS_LOST_MESSAGE =
  "The server's disk is full: part of this run's output could not be saved, so the run was stopped. Free some space and send a message to continue.";

/** Records one run's output in the transcript and meta; returns whether it failed because the
 * resumed session was gone. */
export async function recordRunOutput(
  deps: RunRecorderDeps,
  ideaId: string,
  run: ActiveRun,
  handle: RunHandle,
  start: RecordingStart,
  /** Runs once the CLI is done and before run_finished is published (a viewer may start the next run then). */
  beforeFinished: () => Promise<void>,
): Promise<RecordedRun> {
  const { store, journal, logger } = deps;
  const { append, update } = journal;
  const { shown, cost } = start;
  let sessionMissing = false;
  let outcome: RunOutcome = "failed";
  let errorResult = start.carried?.errorResult ?? false;
  let resumedSessionId: string | null = start.carried?.resumeSessionId ?? null;
  let resumed = resumedSessionId !== null;
  let finished = false;
  let src: OutputSource | null = null;
  // A decoded event is written with where it came from (one line: see IdeaStore.append).
  const appendOf = (event: TranscriptEvent) => append(ideaId, run.runId, event, run, src);
  const handleOne = async (out: RunOutput) => {
    src = handle.sourceOf(out);
    switch (out.type) {
      case "run_started":
        resumed = out.resumeSessionId !== null;
        resumedSessionId = out.resumeSessionId;
        // The transcript shows what the person wrote, not the idea context sent with it.
        await appendOf({ ...out, prompt: shown });
        return;
      case "init":
        await appendOf(out);
        // Saved now, not at the end: a run cut short can still be resumed.
        if (out.sessionId !== resumedSessionId) cost.newSession();
        if (sessionIdSchema.safeParse(out.sessionId).success) {
          await update(ideaId, (m) =>
            m.sessionId === out.sessionId
              ? m
              : { ...m, sessionId: out.sessionId, sessionCostUsd: 0 },
          );
        } else {
          logger.warn("the CLI gave a session id that is not a UUID", { ideaId });
        }
        return;
      case "result": {
        if (!out.parentToolUseId) errorResult = out.isError;
        const reported = out.costUsd;
        const counted = reported === null ? null : cost.observe(reported);
        // The transcript carries the run's own cost; the CLI's session total stays beside it.
        await appendOf(
          counted === null ? out : { ...out, costUsd: counted.own, sessionCostUsd: reported },
        );
        if (saysSessionMissing(out.text) || out.errors.some((e) => saysSessionMissing(e))) {
          sessionMissing = true;
        }
        if (reported !== null && counted !== null) {
          await update(ideaId, (m) => ({
            ...m,
            totalCostUsd: m.totalCostUsd + counted.added,
            sessionCostUsd: reported,
          }));
        }
        return;
      }
      case "permission_request": {
        // Unwritten, nobody could see it to answer: the run stops (appendOf) rather than wait.
        await appendOf(out);
        run.waiting.set(out.requestId, out);
        const meta = await store.get(ideaId).catch(() => null);
        const auto = meta && policyAnswer(policyOf(meta, deps.defaultApprovals), run.mode, out);
        if (auto) handle.answer(out.requestId, auto, "policy");
        return;
      }
      case "permission_answered":
        run.waiting.delete(out.requestId);
        await appendOf(out);
        return;
      case "stderr":
        if (saysSessionMissing(out.text)) sessionMissing = true;
        await appendOf(out);
        return;
      case "run_finished": {
        finished = true;
        // A run whose events were not all written did not complete, whatever the CLI says.
        const end: typeof out =
          run.eventsLost && out.outcome !== "failed"
            ? { ...out, outcome: "failed", message: EVENTS_LOST_MESSAGE }
            : out;
        outcome = end.outcome;
        if (end.outcome === "completed") sessionMissing = false;
        await beforeFinished();
        src = null;
        await answerLeftRequests();
        await appendOf(end);
        return;
      }
      default:
        await appendOf(out);
    }
  };
  /**
   * Requests still waiting when the run ends are over: the runner's control session says so for
   * the requests it knew, but a run that could not be reattached never knew the ones it inherited.
   */
  const answerLeftRequests = async () => {
    for (const request of [...run.waiting.values()]) {
      run.waiting.delete(request.requestId);
      await appendOf({
        type: "permission_answered",
        runId: run.runId,
        requestId: request.requestId,
        decision: "deny",
        scope: "once",
        by: "run_ended",
        message: "The run ended before anyone answered this request.",
      });
    }
  };
  const events = handle.events[Symbol.asyncIterator]();
  // One listener for the whole run (a race per event would pile up reactions on `detached`).
  let wake: (() => void) | null = null;
  void run.detached.then(() => wake?.());
  try {
    for (;;) {
      // A detach stops the recording between two events: each written one has its src, so a
      // later server takes the run up exactly after it.
      const next = run.isDetached()
        ? null
        : await new Promise<IteratorResult<RunOutput> | null>((resolve, reject) => {
            wake = () => resolve(null);
            events.next().then(resolve, reject);
          });
      wake = null;
      if (next === null || run.isDetached()) {
        void events.return?.()?.catch(() => undefined);
        return { sessionMissing: false, resumed, outcome, errorResult, detached: true };
      }
      if (next.done) break;
      await handleOne(next.value);
    }
  } catch (err) {
    // The Runner contract says events never throw; if one does, the run still has to end.
    logger.error("a run's events failed", { ideaId, runId: run.runId, error: String(err) });
  }
  if (!finished) {
    await beforeFinished();
    src = null;
    await answerLeftRequests();
    await append(
      ideaId,
      run.runId,
      runFinished({
        runId: run.runId,
        outcome: "failed",
        message: "The run ended without reporting how.",
      }),
    );
    sessionMissing = false;
  }
  return { sessionMissing, resumed, outcome, errorResult, detached: false };
}
