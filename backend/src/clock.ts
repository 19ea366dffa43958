// Time, behind one interface so expiry, throttling, timeouts and grace periods can be tested with a
// hand-driven clock (ManualClock in clock.test-helpers.ts).

export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Calls `fn` after `ms`; the returned function cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    // Timers never keep the process alive on their own: the runs they watch do.
    const t = setTimeout(fn, ms).unref();
    return () => clearTimeout(t);
  },
};
