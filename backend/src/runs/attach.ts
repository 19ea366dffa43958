// Attaching to a run an earlier server process started: what the target says of it (statusScript),
// its unanswered requests answerable again, then supervised from where the transcript stops.
import type { RunContext } from "./run.js";
import type { RunRef } from "./runner.js";
import { supervise } from "./supervise.js";
import type { StartedRun } from "./supervisor-port.js";

export function attachRun(ctx: RunContext, ref: RunRef): StartedRun {
  return supervise(ctx, ref, ref.resume, async (port) => {
    port.control.restore(ref.waiting);
    const status = await port.status();
    if (status !== null && !status.folder) {
      // Nothing to follow: whatever carries its marker is swept.
      await port.sweep();
      return {
        kind: "refused",
        outcome: "disconnected",
        exit: null,
        message: `This run's folder on ${ctx.executor.hostLabel} is gone: what it did after the server stopped is not known.`,
      };
    }
    port.started();
    // Unreachable now (status null): following retries with backoff and learns the rest later.
    return { kind: "running", status };
  });
}
