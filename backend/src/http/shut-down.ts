// A graceful stop of the server process (SIGTERM, Ctrl-C): by default runs go on on the target for
// the next start to follow again; SHUTDOWN_CANCELS_RUNS=1 cancels them as before.
import type { Logger } from "../deps.js";
import type { Runner } from "../runs/runner.js";
import type { RunningServer } from "./start-server.js";

/** Closes the server, then the runner; returns how many runs were left going on the target. */
export async function shutDown(
  server: Pick<RunningServer, "close">,
  runner: Pick<Runner, "close">,
  opts: { cancelRuns: boolean },
  logger: Logger,
): Promise<{ detached: number }> {
  if (opts.cancelRuns) {
    // The runs' ends are recorded before the server goes (run_finished "cancelled").
    await server.close();
    await runner.close({ detach: false });
    return { detached: 0 };
  }
  // The run service stops recording first: whatever the runner does with a run it stops
  // following must not be written as the run's end. Only runs that reached the target count: one
  // still connecting ended there, as a run that could not start.
  const { detached: going } = await server.close({ detachRuns: true });
  await runner.close({ detach: true });
  logger.info(detachedMessage(going), { runs: going });
  return { detached: going };
}

/** The log line of a detaching shutdown ("detached N run(s): ..." stays its start). */
function detachedMessage(n: number): string {
  if (n === 0) return "detached 0 runs: none was going";
  if (n === 1)
    return "detached 1 run: it goes on on the target, and the next start follows it again";
  return `detached ${n} runs: they go on on the target, and the next start follows them again`;
}
