// At startup: runs that died with the previous server process are closed in their ideas' records.
import { runFinished, type RunOutcome } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { Hub } from "../relay/hub.js";
import type { Runner } from "../runs/runner.js";
import { statusAfterBuild } from "./idea-status.js";
import type { IdeaStore } from "./store.js";

/**
 * Whether the run's `run_finished` is in the transcript. The run service clears activeRunId right
 * after appending it, so it is among the last entries: only the end of the transcript is read.
 */
async function hasRunFinished(
  store: IdeaStore,
  ideaId: string,
  runId: string,
  lastSeq: number,
): Promise<boolean> {
  for await (const e of store.events(ideaId, Math.max(0, lastSeq - RECENT_ENTRIES))) {
    if (e.event.type === "run_finished" && e.event.runId === runId) return true;
  }
  return false;
}

const RECENT_ENTRIES = 100;

/** The run's permission requests without an answer (read as a stream: memory stays flat). */
async function unansweredRequests(
  store: IdeaStore,
  ideaId: string,
  runId: string,
): Promise<string[]> {
  const waiting = new Set<string>();
  for await (const e of store.events(ideaId, 0)) {
    if (e.event.type === "permission_request" && e.runId === runId) waiting.add(e.event.requestId);
    if (e.event.type === "permission_answered") waiting.delete(e.event.requestId);
  }
  return [...waiting];
}

/**
 * A meta that still names an active run means the server stopped mid-run: the run is gone, so
 * its transcript gets a `run_finished` (unless it has one) and a notice, and the meta is freed.
 * Whatever the run left on the target (the CLI, its tools) is swept by the run's marker: nothing
 * outlives a run, not even a crash. Returns those sweeps, which start-up does not wait for (an
 * unreachable target would hold it up; the runner keeps an unpaid sweep owed and retries it).
 */
export async function recoverInterruptedRuns(
  store: IdeaStore,
  hub: Hub,
  runner: Pick<Runner, "sweep">,
  logger: Logger,
): Promise<{ sweeps: Promise<void> }> {
  const sweeps: Promise<void>[] = [];
  for (const meta of await store.list()) {
    const runId = meta.activeRunId;
    if (!runId) continue;
    const finished = await hasRunFinished(store, meta.id, runId, meta.lastSeq ?? 0);
    // A request the dead run waited on will never be answered: say so, so no page waits on it.
    for (const requestId of await unansweredRequests(store, meta.id, runId)) {
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
    if (!finished) {
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
  // Nothing runs at startup, so no idea is "building": say how its last build ended instead (a
  // build cut short above, or data from before "building" meant only while a build runs).
  for (const meta of await store.list()) {
    if (meta.status !== "building") continue;
    const status = statusAfterBuild("chatting", ...(await lastBuildEnd(store, meta.id)));
    await store.update(meta.id, (m) => ({ ...m, status }));
    await store.append(meta.id, null, { type: "status_changed", status, previous: "building" });
    hub.ideaChanged(meta.id);
  }
  return { sweeps: Promise.all(sweeps).then(() => undefined) };
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
