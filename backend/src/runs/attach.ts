// Attaching to a run an earlier server process started: what the target says of it (statusScript),
// its unanswered requests answerable again, then supervised from where the transcript stops.
import type { ClaudeEvent } from "@catalyst/shared";
import { FOLLOW_BACKOFF_MS } from "./follow.js";
import type { RunContext } from "./run.js";
import type { RunRef } from "./runner.js";
import type { RunStatus } from "./run-scripts.js";
import { noticeEvent } from "./run-notices.js";
import { supervise } from "./supervise.js";
import type { StartedRun, SupervisorPort } from "./supervisor-port.js";

export function attachRun(ctx: RunContext, ref: RunRef): StartedRun {
  const host = ctx.executor.hostLabel;
  return supervise(ctx, ref, ref.resume, async (port) => {
    port.control.restore(ref.waiting);
    const status = await statusOnceKnown(ctx, port);
    if (status === "cancelled") {
      // Nothing could reach the target: whatever carries its marker is swept once it answers.
      port.owe();
      return { kind: "refused", outcome: "cancelled", exit: null, message: "Stopped on request." };
    }
    // Let go of (the server stops again) while the target did not answer: the next start asks.
    if (status === null) return { kind: "running", status: null };
    if (!status.folder) {
      // Nothing to follow (its launch never got that far, or the folder was removed): one plain
      // end, no notice of a run followed again. Whatever carries its marker is swept.
      await port.sweep();
      return {
        kind: "refused",
        outcome: "disconnected",
        exit: null,
        message:
          `This run never started on ${host}, or its folder there is gone: nothing of it can be ` +
          `followed after the server restarted. Its work so far is kept; send a message to continue.`,
      };
    }
    port.queue.push(reattachedNotice(status.exit !== null || status.orphaned));
    port.started();
    return { kind: "running", status };
  });
}

/**
 * Reads the run's status until the target answers (with the follow backoff): until then nothing
 * is known of the run, so nothing is said (no link_lost for a link this server never had). A
 * cancel meanwhile, or the server letting go, ends the wait.
 */
async function statusOnceKnown(
  ctx: RunContext,
  port: SupervisorPort,
): Promise<RunStatus | "cancelled" | null> {
  for (let attempt = 0; ; attempt++) {
    const status = await port.status();
    if (status !== null) return status;
    if (port.over) return null;
    if (port.stop !== null) return "cancelled";
    const delay = FOLLOW_BACKOFF_MS[Math.min(attempt, FOLLOW_BACKOFF_MS.length - 1)] ?? 10_000;
    await new Promise<void>((resolve) => ctx.clock.setTimer(delay, resolve));
    if (port.over) return null;
    if (port.stop !== null) return "cancelled";
  }
}

/** The server restarted: the run is followed again, or it ended meanwhile and is collected. */
function reattachedNotice(ended: boolean): ClaudeEvent {
  return noticeEvent(
    "run_reattached",
    "info",
    ended
      ? "The server restarted while this run was going on; it ended while the server was down, " +
          "and its output is collected from where it stopped here."
      : "The server restarted while this run was going on; it is followed again from where " +
          "its output stopped here.",
  );
}
