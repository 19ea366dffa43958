// The run an idea has going, as the run service and the recorder of its output share it.
import type { PermissionRequestEvent, RunMode } from "@catalyst/shared";
import type { RunHandle } from "../runs/runner.js";

/** The run an idea has going (meta.activeRunId): its handle once started, and whether it was cancelled. */
export interface ActiveRun {
  runId: string;
  handle: RunHandle | null;
  cancelled: boolean;
  /** Set when one of the run's events could not be written (a full disk): the run is stopped. */
  eventsLost: boolean;
  done: Promise<void>;
  /** Messages sent before the run's process was asked for: they go in once it is. */
  early: string[];
  /** Permission requests the run waits on, for a policy change. */
  waiting: Map<string, PermissionRequestEvent>;
  /** The policy answers only a build's requests. */
  mode: RunMode;
  /**
   * Resolves when the server shuts down leaving the run going on the target: its recording stops
   * where it is (the transcript's last `src` says where a later server takes it up) and the meta
   * keeps naming it as active.
   */
  readonly detached: Promise<void>;
  readonly isDetached: () => boolean;
  detach(): void;
}

export function makeActiveRun(runId: string, mode: RunMode): ActiveRun {
  let detach = () => {};
  let isDetached = false;
  const detached = new Promise<void>((resolve) => (detach = resolve));
  return {
    runId,
    handle: null,
    cancelled: false,
    eventsLost: false,
    done: Promise.resolve(),
    early: [],
    waiting: new Map(),
    mode,
    detached,
    isDetached: () => isDetached,
    detach() {
      isDetached = true;
      detach();
    },
  };
}
