// A run an earlier server process left going, followed again (Runner.attach) and recorded from
// where its transcript stops, like a started run: one notice that the server restarted, then its
// output, and one more when it turned out to be gone from the target.
import type { Logger } from "../deps.js";
import type { RunHandle, Runner } from "../runs/runner.js";
import type { ActiveRun } from "./active-run.js";
import type { InterruptedRun } from "./interrupted-run.js";
import { createRunCost } from "./run-cost.js";
import type { RunJournal } from "./run-journal.js";
import type { RecordedRun, RecordingStart } from "./run-recorder.js";

export interface ReattachDeps {
  runner: Pick<Runner, "attach">;
  journal: RunJournal;
  logger: Logger;
  /** The run service's recording of a run's output (run-recorder.ts with the idea's settings). */
  record(
    ideaId: string,
    run: ActiveRun,
    handle: RunHandle,
    start: RecordingStart,
  ): Promise<RecordedRun>;
  /** The run service's end of a run: status, meta, no longer active. */
  settle(
    ideaId: string,
    run: ActiveRun,
    before: InterruptedRun["before"],
    ended: RecordedRun | null,
  ): Promise<void>;
}

export async function followReattached(
  deps: ReattachDeps,
  ideaId: string,
  run: ActiveRun,
  from: InterruptedRun,
): Promise<void> {
  const { journal } = deps;
  let ended: RecordedRun | null = null;
  try {
    await journal.append(ideaId, run.runId, {
      type: "notice",
      level: "info",
      kind: "run_reattached",
      message:
        "The server restarted while this run was going on; it is followed again from where " +
        "its output stopped here.",
    });
    // Shut down again before it was followed: the next start takes it up.
    if (run.isDetached()) return;
    const handle = deps.runner.attach(from.ref);
    run.handle = handle;
    // Messages and a cancel that came while the notice was written go in now.
    for (const message of run.early.splice(0)) handle.send(message);
    if (run.cancelled) handle.cancel();
    ended = await deps.record(ideaId, run, handle, {
      shown: "",
      cost: createRunCost(from.cost.base, from.cost.counted),
      carried: { resumeSessionId: from.resumeSessionId, errorResult: from.errorResult },
    });
    if (ended.outcome === "disconnected" && !ended.detached) {
      await journal.append(ideaId, run.runId, {
        type: "notice",
        level: "warning",
        kind: "run_interrupted",
        message:
          "This run could not be picked up again after the server restarted: it was no " +
          "longer going on the target. Its work so far is kept; send a message to continue.",
      });
    }
  } catch (err) {
    deps.logger.error("a reattached run failed", {
      ideaId,
      runId: run.runId,
      error: String(err),
    });
  } finally {
    await deps.settle(ideaId, run, from.before, ended);
  }
}
