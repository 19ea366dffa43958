// One run's output into the transcript and meta: the session id at init, each result's own cost,
// permission requests (answered by the idea's policy when it may), and exactly one run_finished.
import {
  runFinished,
  sessionIdSchema,
  type ApprovalsPolicy,
  type RunOutcome,
  type TranscriptEvent,
} from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { RunHandle, RunOutput } from "../runs/runner.js";
import type { ActiveRun } from "./active-run.js";
import { policyAnswer, policyOf } from "./approvals.js";
import { saysSessionMissing } from "./prompts.js";
import { createRunCost } from "./run-cost.js";
import type { RunJournal } from "./run-journal.js";
import type { IdeaStore } from "./store.js";

export interface RunRecorderDeps {
  store: IdeaStore;
  journal: RunJournal;
  logger: Logger;
  /** The approvals policy of an idea without its own (BUILD_APPROVALS). */
  defaultApprovals: ApprovalsPolicy;
}

export interface RecordedRun {
  /** The run failed because the session it resumed is gone from the target. */
  sessionMissing: boolean;
  resumed: boolean;
  outcome: RunOutcome;
  errorResult: boolean;
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
  shown: string,
  sessionCostBase: number,
  /** Runs once the CLI is done and before run_finished is published (a viewer may start the next run then). */
  beforeFinished: () => Promise<void>,
): Promise<RecordedRun> {
  const { store, journal, logger } = deps;
  const { append, update } = journal;
  let sessionMissing = false;
  let outcome: RunOutcome = "failed";
  let errorResult = false;
  let resumed = false;
  let finished = false;
  let resumedSessionId: string | null = null;
  const cost = createRunCost(sessionCostBase);
  const appendOf = (event: TranscriptEvent) => append(ideaId, run.runId, event, run);
  const handleOne = async (out: RunOutput) => {
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
        await appendOf(end);
        return;
      }
      default:
        await appendOf(out);
    }
  };
  try {
    for await (const out of handle.events) await handleOne(out);
  } catch (err) {
    // The Runner contract says events never throw; if one does, the run still has to end.
    logger.error("a run's events failed", { ideaId, runId: run.runId, error: String(err) });
  }
  if (!finished) {
    await beforeFinished();
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
  return { sessionMissing, resumed, outcome, errorResult };
}
