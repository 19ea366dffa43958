// Stopping a run on its target, in steps: the CLI's own interrupt (a clean end of the turn), then
// SIGINT to its process group after the grace period, then SIGKILL to the group (or the sweep by
// marker while the group is not known) after another. With the link down the stop cannot reach
// the target: the run then ends as asked and its sweep is owed.
import type { Clock } from "../clock.js";
import { signalGroupScript } from "./kill-scripts.js";
import type { StopReason } from "./outcome.js";

export interface StoppingOptions {
  clock: Clock;
  cancelGraceMs: number;
  /** Runs a side command on the target (a failure owes the sweep). */
  side(script: string): void;
  /** Kills whatever carries the run's marker. */
  sweep(): void;
  /** The CLI's own interrupt; false when its input is closed. */
  interrupt(): boolean;
  /** A process of the run exists (a launch channel is up, or the run was attached to). */
  started(): boolean;
  /** The run is over on the target, or its end is reported: nothing is to be stopped. */
  over(): boolean;
  linkDown(): boolean;
  /** The stop could not reach the target in time: end the run as asked, owe the sweep. */
  abandon(): void;
}

export interface Stopping {
  request(reason: StopReason): void;
  /** Straight to the signals (the CLI refused the interrupt). */
  escalate(): void;
  /** The run's process group (a launch reports its own first, then the CLI's). */
  processGroup(pgid: number): void;
  readonly pgid: number | null;
  /** Why the run is being stopped, if it is. */
  readonly reason: StopReason | null;
  /** The run ended: no more steps. */
  cancel(): void;
}

export function createStopping(o: StoppingOptions): Stopping {
  let reason: StopReason | null = null;
  let pgid: number | null = null;
  let escalated = false;
  const timers: Array<() => void> = [];
  const later = (fn: () => void) => timers.push(o.clock.setTimer(o.cancelGraceMs, fn));

  const afterGrace = () => {
    if (o.over()) return;
    if (o.linkDown()) o.abandon();
    // The group only: the run's supervisor on the target (not in it) then writes the exit
    // status, and the end's sweep by marker takes whatever left the group.
    else if (pgid !== null && o.started()) o.side(signalGroupScript(pgid, "KILL"));
    else o.sweep();
  };
  const signal = (target: number) => {
    o.side(signalGroupScript(target, "INT"));
    later(afterGrace);
  };

  const escalate = () => {
    if (escalated || o.over()) return;
    escalated = true;
    if (pgid !== null) signal(pgid);
    // Before the group is known, only the run marker can find the processes. Once the group is
    // known it gets its SIGINT and its own grace period instead.
    else
      later(() => {
        if (pgid === null) afterGrace();
      });
  };

  return {
    request(why) {
      // After the end there is nothing to stop (the end's sweep runs anyway), and its group id
      // may already belong to someone else.
      if (reason !== null || o.over()) return;
      reason = why;
      // The CLI's own interrupt ends the turn cleanly (a result, then the exit once its input
      // closes); signals only when it has not ended within the grace period.
      if (o.started() && o.interrupt()) later(escalate);
      else escalate();
    },
    escalate,
    processGroup(g) {
      if (pgid === g) return;
      pgid = g;
      // A stop asked for while the launch reported its own group reaches the CLI's too.
      if (escalated) signal(g);
    },
    get pgid() {
      return pgid;
    },
    get reason() {
      return reason;
    },
    cancel() {
      for (const t of timers.splice(0)) t();
    },
  };
}
