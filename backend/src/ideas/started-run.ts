// A run this server starts, driven to its end: the meta first (status, count, active run), then the
// runner, then its output recorded; a session gone from the target is retried once in a new
// conversation. The run service holds the idea's runs; this is the life of one of them.
import type { IdeaStatus, RunMode } from "@catalyst/shared";
import type { RunCheckpoints } from "../checkpoints/checkpoints.js";
import type { Ids, Logger } from "../deps.js";
import { AppError, isDiskFull } from "../http/app-error.js";
import type { Hub } from "../relay/hub.js";
import type { RunHandle, Runner } from "../runs/runner.js";
import type { BudgetGate } from "../usage/gate.js";
import type { ActiveRun } from "./active-run.js";
import { statusAtStart } from "./idea-status.js";
import { composePrompt } from "./prompts.js";
import { createRunCost } from "./run-cost.js";
import type { RunJournal } from "./run-journal.js";
import type { RecordedRun, RunLifecycle } from "./run-recorder.js";
import type { IdeaStore } from "./store.js";

export interface StartedRunDeps extends RunLifecycle {
  store: IdeaStore;
  runner: Pick<Runner, "start">;
  hub: Hub;
  ids: Ids;
  logger: Logger;
  journal: RunJournal;
  /** Snapshots the project before and after each build run (its changes, its revert). */
  checkpoints?: RunCheckpoints;
  /** Gives the cap a run passes to the CLI. */
  budget?: BudgetGate;
}

/** Begins one CLI run: meta first (status, count, active run), then the runner. */
async function begin(
  deps: StartedRunDeps,
  ideaId: string,
  run: ActiveRun,
  mode: RunMode,
  shown: string,
  /** Called with the status before the run once the meta names it (a build ends from there). */
  onMetaWritten: (previous: IdeaStatus) => void,
): Promise<{ handle: RunHandle; sessionCostBase: number }> {
  const { store, hub, runner } = deps;
  const { append } = deps.journal;
  let previous: IdeaStatus = "captured";
  const meta = await store.update(ideaId, (m) => {
    previous = m.status;
    return {
      ...m,
      status: statusAtStart(m.status, mode),
      runs: m.runs + 1,
      activeRunId: run.runId,
    };
  });
  hub.ideaChanged(ideaId);
  onMetaWritten(previous);
  if (meta.status !== previous) {
    await append(ideaId, run.runId, { type: "status_changed", status: meta.status, previous });
  }
  if (mode === "build") await deps.checkpoints?.mark(ideaId, run.runId, "before");
  // Shutting down while the snapshot was taken: nothing was started, nothing is left going.
  if (run.isDetached()) {
    throw new AppError("unavailable", "Catalyst is shutting down: the run was not started.");
  }
  const prompt = composePrompt(meta, shown, meta.sessionId === null);
  const sessionCostBase = meta.sessionId === null ? 0 : (meta.sessionCostUsd ?? 0);
  const handle = runner.start({
    runId: run.runId,
    ideaId,
    mode,
    prompt,
    resumeSessionId: meta.sessionId,
    maxBudgetUsd: deps.budget?.capFor(meta) ?? null,
  });
  return { handle, sessionCostBase };
}

/**
 * `begun` settles once the run's first meta write is done: resolved, or rejected when the disk
 * is full, so that the request that started the run hears it (507) instead of a 202 for a run
 * that then does nothing visible.
 */
export async function driveStarted(
  deps: StartedRunDeps,
  ideaId: string,
  run: ActiveRun,
  mode: RunMode,
  shown: string,
  begun: { resolve: () => void; reject: (err: unknown) => void },
): Promise<void> {
  const { logger, record, settle } = deps;
  const { append, update } = deps.journal;
  /** The status before this run (the first attempt's, when a lost session is retried). */
  let before: IdeaStatus | null = null;
  let ended: RecordedRun | null = null;
  try {
    let retried = false;
    for (;;) {
      const { handle, sessionCostBase } = await begin(
        deps,
        ideaId,
        run,
        mode,
        shown,
        (previous) => {
          // Known before anything else can fail: a build that does not start still ends.
          before ??= previous;
          begun.resolve();
        },
      );
      run.handle = handle;
      // Messages accepted (202 queued) before a cancel go in first, so they are recorded in the
      // run and end with it, as if they had come once it was running; never dropped unseen.
      for (const message of run.early.splice(0)) handle.send(message);
      if (run.cancelled) handle.cancel();
      ended = await record(ideaId, run, handle, {
        shown,
        cost: createRunCost(sessionCostBase),
      });
      const { sessionMissing, resumed, detached } = ended;
      if (!sessionMissing || !resumed || retried || run.cancelled || detached) break;
      // The VM no longer has the conversation: start a new one rather than fail on every run.
      retried = true;
      await update(ideaId, (m) => ({
        ...m,
        sessionId: null,
        sessionCostUsd: 0,
        activeRunId: null,
      }));
      await append(ideaId, run.runId, {
        type: "notice",
        level: "warning",
        kind: "session_reset",
        message:
          "The previous Claude Code conversation no longer exists on the target (deleted, or " +
          "the folder changed). Starting a new conversation; earlier context is not carried over.",
      });
      run.runId = deps.ids.runId();
    }
  } catch (err) {
    if (isDiskFull(err)) begun.reject(err);
    else begun.resolve();
    logger.error("a run could not start", { ideaId, runId: run.runId, error: String(err) });
    await append(ideaId, run.runId, {
      type: "notice",
      level: "error",
      kind: "run_error",
      message: `The run could not start: ${err instanceof Error ? err.message : String(err)}`,
    });
  } finally {
    await settle(ideaId, run, before, ended);
  }
}
