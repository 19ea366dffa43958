// The scripts a run needs on its target, as one seam: the supervisor treats them as opaque text
// (wrapper-script.ts and run-folder.ts build them; tests stand in recognisable fakes).
import type { WrapperInput } from "./wrapper-script.js";

/** Where a run lives on the target. */
export interface RunAddress {
  remoteRoot: string;
  ideaId: string;
  runId: string;
}

/** What statusScript reports about a run's folder (target clock for the times). */
export interface RunStatus {
  /** The run's folder exists. */
  folder: boolean;
  pgid: number | null;
  /** The CLI's wait status once it ended (128 + n: killed by signal n). */
  exit: number | null;
  /** The target's watchdog ended the run: no server touched its heartbeat for too long. */
  orphaned: boolean;
  /** A process of the run still exists. */
  alive: boolean;
  /** Newest write to out/err, and the target's time now (ms since the epoch). */
  lastWriteMs: number | null;
  nowMs: number | null;
}

export interface RunScripts {
  /** Starts the run detached, then relays its stdin (env header, then input lines). */
  launch(input: WrapperInput & { orphanTimeoutS?: number }): string;
  /** Streams out.ndjson (stdout) and err.log (stderr) from these bytes until the run is over. */
  follow(run: RunAddress, from: { out: number; err: number }): string;
  /** Relays complete lines of its stdin into the run's input. */
  input(run: RunAddress): string;
  status(run: RunAddress): string;
  parseStatus(stdout: string): RunStatus | null;
  heartbeat(run: RunAddress): string;
  /** Removes the idea's ended run folders, except those named. */
  cleanup(remoteRoot: string, ideaId: string, keepRunIds: readonly string[]): string;
  /** The input line that ends the CLI's input for good. */
  readonly endInputLine: string;
}
