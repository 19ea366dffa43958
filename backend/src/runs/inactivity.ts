// The inactivity timeout of a run: no output for `timeoutMs` stops it. Counts from the last output
// written (after an attach, from the run folder's last write), and a run that is not silent but
// held back (a slow reader, a person deciding, a dropped link) is not counted as silent.
import type { Clock } from "../clock.js";

export interface Inactivity {
  /** Output arrived (or an answer went in): the silence starts again now. */
  activity(): void;
  /** The run's files were last written `agoMs` ago (the target's clock; an attach). */
  lastWriteAgo(agoMs: number): void;
  /** Starts the timer, from the last activity. */
  start(): void;
  stop(): void;
}

export function createInactivity(o: {
  clock: Clock;
  timeoutMs: number;
  /** The run is not silent, only held back: nothing is known about its output now. */
  heldBack(): boolean;
  /** The run has been silent for the whole timeout. */
  expired(): void;
}): Inactivity {
  let last = o.clock.now();
  let cancel: (() => void) | null = null;
  const arm = (ms: number) => {
    cancel = o.clock.setTimer(ms, () => {
      if (o.heldBack()) last = o.clock.now();
      const idle = o.clock.now() - last;
      if (idle >= o.timeoutMs) {
        cancel = null;
        o.expired();
      } else arm(o.timeoutMs - idle);
    });
  };
  return {
    activity: () => (last = o.clock.now()),
    lastWriteAgo: (agoMs) => (last = o.clock.now() - Math.max(0, agoMs)),
    start() {
      cancel?.();
      arm(Math.max(0, o.timeoutMs - (o.clock.now() - last)));
    },
    stop() {
      cancel?.();
      cancel = null;
    },
  };
}
