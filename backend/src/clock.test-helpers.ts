// A clock moved by hand, for every test of expiry, throttling, timeouts and grace periods.
import type { Clock } from "./clock.js";

export class ManualClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  constructor(private t = 1_700_000_000_000) {}
  now() {
    return this.t;
  }
  setTimer(ms: number, fn: () => void) {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return () => (timer.live = false);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number) {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      next.live = false;
      next.fn();
    }
    this.t = end;
  }
}
