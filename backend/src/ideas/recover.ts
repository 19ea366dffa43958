// At start-up: runs the previous server process left going are followed again, or closed in their
// ideas' records when nothing of them can be followed.
import { runFinished, type RunOutcome } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { Hub } from "../relay/hub.js";
import type { Runner } from "../runs/runner.js";
import { statusAfterBuild } from "./idea-status.js";
import { findInterruptedRun } from "./interrupted-run.js";
import type { RunService } from "./run-service.js";
import type { IdeaStore } from "./store.js";

/**
 * A meta that still names an active run means the server stopped mid-run (a shutdown that left it
 * going, a crash). A run that began is handed to the run service, which follows it again through
 * `Runner.attach` from where its transcript stops (the run service records it like a started run;
 * a run no longer on the target ends there as `disconnected`). A run that cannot be followed (its
 * run_finished is written, or it never began) is closed here as before: its waiting requests are
 * answered `run_ended`, it gets a `run_finished` (unless it has one) and a notice, the meta is
 * freed, and whatever it left on the target is swept by its marker. Returns those sweeps, which
 * start-up does not wait for (an unreachable target would hold it up; the runner keeps an unpaid
 * sweep owed and retries it); following a run again does not wait on the target either.
 */
export async function recoverInterruptedRuns(deps: {
  store: IdeaStore;
  hub: Hub;
  runner: Pick<Runner, "sweep">;
  runs: Pick<RunService, "reattach" | "isActive">;
  logger: Logger;
}): Promise<{ sweeps: Promise<void>; reattached: number }> {
  const { store, hub, runner, runs, logger } = deps;
  const sweeps: Promise<void>[] = [];
  let reattached = 0;
  for (const meta of await store.list()) {
    const runId = meta.activeRunId;
    if (!runId) continue;
    const found = await findInterruptedRun(store, { ...meta, activeRunId: runId });
    if (found.kind === "begun") {
      runs.reattach(meta.id, found.run);
      reattached++;
      logger.info("following a run left by a restart again", { ideaId: meta.id, runId });
      continue;
    }
    // A request the dead run waited on will never be answered: say so, so no page waits on it.
    for (const { requestId } of found.waiting) {
      await store.append(meta.id, runId, {
        type: "permission_answered",
        runId,
        requestId,
        decision: "deny",
        scope: "once",
        by: "run_ended",
        message: "The server stopped before anyone answered this request.",
      });
    }
    if (found.kind !== "finished") {
      await store.append(
        meta.id,
        runId,
        runFinished({
          runId,
          outcome: "disconnected",
          message: "The server stopped while this run was going on.",
        }),
      );
    }
    await store.append(meta.id, runId, {
      type: "notice",
      level: "warning",
      kind: "run_interrupted",
      message:
        "The server restarted during a run; that run is over. Its work so far is kept; " +
        "send a message to continue.",
    });
    await store.update(meta.id, (m) => ({ ...m, activeRunId: null }));
    hub.ideaChanged(meta.id);
    logger.warn("cleared a run left by a restart", { ideaId: meta.id, runId });
    sweeps.push(
      runner.sweep(runId).catch((err: unknown) => {
        logger.error("sweeping a run left by a restart failed", { runId, error: String(err) });
      }),
    );
  }
  // Only a reattached run builds at start-up: any other idea "building" says how its last build
  // ended instead (a build cut short above, or data from before "building" meant only while a
  // build runs).
  for (const meta of await store.list()) {
    if (meta.status !== "building" || runs.isActive(meta.id)) continue;
    const status = statusAfterBuild("chatting", ...(await lastBuildEnd(store, meta.id)));
    await store.update(meta.id, (m) => ({ ...m, status }));
    await store.append(meta.id, null, { type: "status_changed", status, previous: "building" });
    hub.ideaChanged(meta.id);
  }
  return { sweeps: Promise.all(sweeps).then(() => undefined), reattached };
}

/** How the idea's last build ended: its run_finished outcome and whether its result was an error. */
async function lastBuildEnd(
  store: IdeaStore,
  ideaId: string,
): Promise<[RunOutcome | null, boolean]> {
  const builds = new Set<string>();
  let end: [RunOutcome | null, boolean] = [null, false];
  let errorResult = false;
  for await (const { event } of store.events(ideaId, 0)) {
    if (event.type === "run_started" && event.mode === "build") {
      builds.add(event.runId);
      errorResult = false;
    }
    if (event.type === "result" && !event.parentToolUseId) errorResult = event.isError;
    if (event.type === "run_finished" && builds.has(event.runId)) {
      end = [event.outcome, errorResult];
    }
  }
  return end;
}
