// The short commands a supervisor runs on its run's target: side scripts (signals), the sweep by
// marker, the status; and, once the output is all read, how the run ended by the target's word.
import { ExecError, type Executor, type ExitInfo } from "../exec/executor.js";
import type { FollowEnd } from "./follow.js";
import { sweepScript } from "./kill-scripts.js";
import { exitInfoOf } from "./outcome.js";
import type { RunAddress, RunScripts, RunStatus } from "./run-scripts.js";

export interface RunCommands {
  /** Runs a script on the target; a lost link owes the sweep instead of failing. */
  side(script: string): Promise<void>;
  /** Kills whatever carries the run's marker (and its group, once known). */
  sweep(): Promise<void>;
  /** What the target says of the run; null when it cannot be asked (unreachable). */
  status(): Promise<RunStatus | null>;
}

export function runCommands(o: {
  executor: Executor;
  scripts: RunScripts;
  address: RunAddress;
  /** The run's process group, once known. */
  pgid(): number | null;
  /** The connection dropped before the run's leftovers could be swept: do it once it is back. */
  oweSweep(): void;
}): RunCommands {
  const side = (script: string) =>
    o.executor.run(script).then(
      () => undefined,
      (err: unknown) => {
        // A lost link: the sweep happens on the next connection instead.
        if (err instanceof ExecError) o.oweSweep();
      },
    );
  return {
    side,
    sweep: () => side(sweepScript(o.address.runId, o.pgid())),
    async status() {
      try {
        return o.scripts.parseStatus((await o.executor.run(o.scripts.status(o.address))).stdout);
      } catch {
        return null;
      }
    },
  };
}

/**
 * After the output is all read: how the run ended by its status, its leftovers swept, and the
 * idea's other ended run folders removed. That comes before run_finished: the idea's next run may
 * start right after it, and its folder must not be taken for an old one's (a run that ends fast
 * has an exit status before it is followed).
 */
export async function collectEnd(
  o: { executor: Executor; scripts: RunScripts; address: RunAddress; commands: RunCommands },
  end: FollowEnd,
): Promise<{ exit: ExitInfo; folderGone: boolean; orphaned: boolean }> {
  const { address } = o;
  const last = end.kind === "gone" ? null : await o.commands.status();
  const folderGone = end.kind === "gone" || last?.folder === false;
  await o.commands.sweep();
  if (!folderGone)
    await o.executor
      .run(o.scripts.cleanup(address.remoteRoot, address.ideaId, [address.runId]))
      .catch(() => {});
  // No status (unreachable right then): how it ended is not known.
  const exit: ExitInfo =
    last === null
      ? { code: null, signal: null, lost: !folderGone }
      : last.exit !== null
        ? exitInfoOf(last.exit)
        : { code: null, signal: null, lost: false };
  return { exit, folderGone, orphaned: last?.orphaned ?? false };
}
