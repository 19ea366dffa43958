// Failed key attempts, per source address and over all of them: past a limit within the window, wrong keys wait.
import type { Clock } from "../clock.js";

export interface Throttle {
  /** Seconds to wait before the address may try a key again, or 0 when it may try now. */
  retryAfter(address: string): number;
  fail(address: string): void;
}

export interface ThrottleLimits {
  /** Failures one address may have within the window. */
  perSource: number;
  /**
   * Failures all addresses together may have within the window: many addresses failing once each
   * (a botnet, or loopback's 2^24 addresses) are throttled too.
   */
  global: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { perSource: 5, global: 30, windowMs: 60_000 };

export function createThrottle(
  clock: Clock,
  limits: ThrottleLimits = defaultThrottleLimits,
): Throttle {
  const { perSource, global, windowMs } = limits;
  const failures = new Map<string, number[]>();
  /** Every failure's time, at most `global` of them (the older ones do not matter). */
  let all: number[] = [];
  const recent = (times: number[], now: number) => times.filter((t) => t > now - windowMs);
  /** Seconds until fewer than `limit` of `times` are within the window. */
  const waitFor = (times: number[], limit: number, now: number) => {
    if (times.length < limit) return 0;
    const oldest = times[times.length - limit] ?? now;
    return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
  };
  return {
    retryAfter(address) {
      const now = clock.now();
      const times = recent(failures.get(address) ?? [], now);
      if (times.length === 0) failures.delete(address);
      else failures.set(address, times);
      all = recent(all, now);
      return Math.max(waitFor(times, perSource, now), waitFor(all, global, now));
    },
    fail(address) {
      const now = clock.now();
      // Many addresses failing once each must not grow the map forever.
      if (failures.size > 10_000) {
        for (const [a, times] of failures) if (recent(times, now).length === 0) failures.delete(a);
      }
      failures.set(address, [...recent(failures.get(address) ?? [], now), now].slice(-perSource));
      all = [...recent(all, now), now].slice(-global);
    },
  };
}
