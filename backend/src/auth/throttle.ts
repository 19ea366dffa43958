// Failed key attempts per address: past the limit within the window, the address waits.
import type { Clock } from "../clock.js";

export interface Throttle {
  /** Seconds to wait before the address may try again, or 0 when it may try now. */
  retryAfter(address: string): number;
  fail(address: string): void;
}

export function createThrottle(clock: Clock, limit = 5, windowMs = 60_000): Throttle {
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) =>
    (failures.get(address) ?? []).filter((t) => t > now - windowMs);
  return {
    retryAfter(address) {
      const now = clock.now();
      const times = recent(address, now);
      if (times.length === 0) failures.delete(address);
      else failures.set(address, times);
      if (times.length < limit) return 0;
      const oldest = times[times.length - limit] ?? now;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    },
    fail(address) {
      const now = clock.now();
      // Many addresses failing once each must not grow the map forever.
      if (failures.size > 10_000) {
        for (const a of failures.keys()) if (recent(a, now).length === 0) failures.delete(a);
      }
      failures.set(address, [...recent(address, now), now]);
    },
  };
}
