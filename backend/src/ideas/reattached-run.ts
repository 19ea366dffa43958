// A run an earlier server process left going, followed again (Runner.attach) and recorded from
// where its transcript stops, like a started run: the runner's notice that the server restarted,
// then its output and its end (a run gone from the target: only its run_finished says so).
import type { Logger } from "../deps.js";
import type { Runner } from "../runs/runner.js";
import type { ActiveRun } from "./active-run.js";
import type { InterruptedRun } from "./interrupted-run.js";
import { createRunCost } from "./run-cost.js";
import type { RecordedRun, RunLifecycle } from "./run-recorder.js";

export interface ReattachDeps extends RunLifecycle {
  runner: Pick<Runner, "attach">;
  logger: Logger;
}

export async function followReattached(
  deps: ReattachDeps,
  ideaId: string,
  run: ActiveRun,
  from: InterruptedRun,
): Promise<void> {
  let ended: RecordedRun | null = null;
  try {
    // Its notice (followed again, or collected after it ended) comes from the runner, which
    // knows what the target said; a run with nothing left there ends with one plain run_finished.
    const handle = deps.runner.attach(from.ref);
    run.handle = handle;
    // A cancel asked for before the restart is asked again.
    for (const message of run.early.splice(0)) handle.send(message);
    if (run.cancelled) handle.cancel();
    ended = await deps.record(ideaId, run, handle, {
      shown: "",
      cost: createRunCost(from.cost.base, from.cost.counted),
      carried: { resumeSessionId: from.resumeSessionId, errorResult: from.errorResult },
    });
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
