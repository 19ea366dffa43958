// A run of an earlier server process that cannot be followed: its leftovers are swept and it ends
// `disconnected`. What attach yields while runs still die with their channel (issue #11).
import { runFinished } from "@catalyst/shared";
import type { Clock } from "../clock.js";
import { createEventQueue } from "./event-queue.js";
import type { StartedRun } from "./run.js";
import type { RunOutput, RunRef } from "./runner.js";

export function lostRun(ref: RunRef, clock: Clock, sweep: () => Promise<void>): StartedRun {
  const queue = createEventQueue<RunOutput>();
  const done = sweep()
    .catch(() => undefined)
    .then(() => {
      queue.push(
        runFinished({
          runId: ref.runId,
          outcome: "disconnected",
          durationMs: Math.max(0, clock.now() - ref.startedAt),
          message: "The server stopped while this run was going on.",
        }),
      );
      queue.end();
    });
  return {
    runId: ref.runId,
    events: queue,
    cancel: () => undefined,
    answer: () => ({ ok: false, reason: "unknown" }),
    send: () => false,
    sourceOf: () => null,
    done,
  };
}
