// Following a run's output files on the target: one follow channel at a time streams the bytes
// of out.ndjson (its stdout) and err.log (its stderr) from the offsets received so far. When the
// link drops, it connects again with backoff and goes on from the exact byte it had.
import { ExecError, type ExecChild, type Executor, type ExitInfo } from "../exec/executor.js";
import type { Clock } from "../clock.js";
import type { OutputStream } from "./output-pump.js";

/** Waits between attempts to follow again after the link dropped (the last one repeats). */
export const FOLLOW_BACKOFF_MS = [250, 1_000, 2_000, 5_000, 10_000];
/** The follow script's exit status when the run's folder does not exist. */
export const FOLLOW_NO_FOLDER = 3;

export interface FollowOptions {
  executor: Executor;
  clock: Clock;
  /** The follow script, reading each file from this byte on. */
  script(from: { out: number; err: number }): string;
  /** Bytes received of each file so far: where a new follow channel starts. */
  position(): { out: number; err: number };
  data(stream: OutputStream, chunk: Buffer): void;
  /** The follow channel dropped or cannot be opened (the first failure of a series). */
  linkLost(why: string): void;
  /** A follow channel is up again after linkLost. */
  linkRestored(): void;
}

/**
 * `ended`: everything was read and the run is over. `gone`: no run folder on the target.
 * `stopped`: stop() was called. `failed`: the follow script ended some other way (it was killed,
 * or could not run); the caller asks the target what became of the run.
 */
export type FollowEnd =
  { kind: "ended" } | { kind: "gone" } | { kind: "stopped" } | { kind: "failed"; exit: ExitInfo };

export interface Follower {
  readonly done: Promise<FollowEnd>;
  /** The link is down: the last follow channel dropped and no new one is up yet. */
  readonly linkDown: boolean;
  pause(): void;
  resume(): void;
  readonly paused: boolean;
  /** Stops following and lets go of the channel; the run goes on. */
  stop(): void;
}

export function startFollowing(opts: FollowOptions): Follower {
  let child: ExecChild | null = null;
  let paused = false;
  let stopped = false;
  let down = false;
  let wake: (() => void) | null = null;
  let cancelWait: (() => void) | null = null;
  let onStop: () => void = () => {};
  // A detached local process only notices on its next write: do not wait for its exit.
  const stopSignal = new Promise<"stopped">((r) => (onStop = () => r("stopped")));

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      cancelWait = opts.clock.setTimer(ms, resolve);
    });

  const lost = (why: string) => {
    if (down) return;
    down = true;
    opts.linkLost(why);
  };

  const followOnce = async (): Promise<FollowEnd | "lost"> => {
    let c: ExecChild;
    try {
      c = await opts.executor.start(opts.script(opts.position()));
    } catch (err) {
      if (err instanceof ExecError) {
        lost(err.message);
        return "lost";
      }
      throw err;
    }
    if (stopped) {
      c.detach();
      return { kind: "stopped" };
    }
    if (down) {
      down = false;
      opts.linkRestored();
    }
    child = c;
    c.stdout.on("data", (chunk: Buffer) => opts.data("out", chunk));
    c.stderr.on("data", (chunk: Buffer) => opts.data("err", chunk));
    if (paused) {
      c.stdout.pause();
      c.stderr.pause();
    }
    const exit = await Promise.race([c.exit, stopSignal]);
    if (exit === "stopped") return { kind: "stopped" };
    // Everything the channel delivered is counted before anyone reads from the next byte.
    await Promise.race([c.closed, stopSignal]);
    child = null;
    if (stopped) return { kind: "stopped" };
    if (exit.lost) {
      lost("the connection dropped");
      return "lost";
    }
    if (exit.code === 0) return { kind: "ended" };
    if (exit.code === FOLLOW_NO_FOLDER) return { kind: "gone" };
    return { kind: "failed", exit };
  };

  const loop = async (): Promise<FollowEnd> => {
    let attempt = 0;
    for (;;) {
      if (stopped) return { kind: "stopped" };
      const end = await followOnce();
      if (end !== "lost") return end;
      if (stopped) return { kind: "stopped" };
      const ms = FOLLOW_BACKOFF_MS[Math.min(attempt, FOLLOW_BACKOFF_MS.length - 1)] ?? 30_000;
      attempt++;
      await wait(ms);
    }
  };

  return {
    done: loop(),
    get linkDown() {
      return down;
    },
    pause() {
      paused = true;
      child?.stdout.pause();
      child?.stderr.pause();
    },
    resume() {
      paused = false;
      child?.stdout.resume();
      child?.stderr.resume();
    },
    get paused() {
      return paused;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      onStop();
      cancelWait?.();
      wake?.();
      child?.detach();
    },
  };
}
