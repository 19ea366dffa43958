// Following a supervised run to the end of its output: a follower (follow.ts) that reconnects
// after a dropped link, started again when its script ended oddly while the run still lives.
import type { Clock } from "../clock.js";
import type { Executor } from "../exec/executor.js";
import { startFollowing, type FollowEnd, type FollowOptions, type Follower } from "./follow.js";
import type { RunStatus } from "./run-scripts.js";

/** A follow script that ended oddly while the run lives is started again this many times. */
const FOLLOW_RETRIES = 3;

export async function followToEnd(opts: {
  executor: Executor;
  clock: Clock;
  script: FollowOptions["script"];
  position: FollowOptions["position"];
  data: FollowOptions["data"];
  linkLost(): void;
  linkRestored(): void;
  /** Each follower as it starts (the supervisor pauses, stops and asks it about the link). */
  following(f: Follower): void;
  status(): Promise<RunStatus | null>;
}): Promise<FollowEnd> {
  for (let tries = 0; ; tries++) {
    const follower = startFollowing({
      executor: opts.executor,
      clock: opts.clock,
      script: opts.script,
      position: opts.position,
      data: opts.data,
      linkLost: () => opts.linkLost(),
      linkRestored: () => opts.linkRestored(),
    });
    opts.following(follower);
    const end = await follower.done;
    if (end.kind !== "failed" || tries >= FOLLOW_RETRIES) return end;
    // Killed (a sweep) or broken: follow again only while the run still lives.
    const s = await opts.status();
    if (s === null || !s.alive || s.exit !== null || s.orphaned) return end;
  }
}
