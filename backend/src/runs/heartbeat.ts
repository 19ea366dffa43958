// Touching a followed run's heartbeat on the target, so its supervisor's watchdog (which ends a
// run no server follows: ORPHAN_TIMEOUT_MS) leaves it alone.
import type { Clock } from "../clock.js";

/** The server touches a followed run's heartbeat this often (the target's watchdog reads it). */
export const HEARTBEAT_MS = 60_000;

/**
 * How often to touch the heartbeat: HEARTBEAT_MS, or a third of a shorter ORPHAN_TIMEOUT_MS, so the
 * target's watchdog never ends a run a server is following.
 */
export function heartbeatEvery(orphanTimeoutMs: number | undefined): number {
  return Math.max(1000, Math.min(HEARTBEAT_MS, Math.floor((orphanTimeoutMs ?? Infinity) / 3)));
}

/**
 * `start()` touches the heartbeat now and then every `heartbeatEvery(orphanTimeoutMs)` while
 * `following()`; not while the link is down (nothing would reach the target). `stop()` ends it.
 */
export function keepHeartbeat(opts: {
  clock: Clock;
  orphanTimeoutMs?: number;
  touch(): void;
  following(): boolean;
  linkDown(): boolean;
}): { start(): void; stop(): void } {
  let cancel: (() => void) | null = null;
  const beat = () => {
    cancel = null;
    if (!opts.following()) return;
    if (!opts.linkDown()) opts.touch();
    cancel = opts.clock.setTimer(heartbeatEvery(opts.orphanTimeoutMs), beat);
  };
  return {
    start: beat,
    stop() {
      cancel?.();
      cancel = null;
    },
  };
}
