// The Runner: starts runs on one executor, tracks the active ones, owes sweeps across reconnects.
import { ExecError, type Executor } from "../exec/executor.js";
import { systemClock, type Clock } from "../clock.js";
import { sweepScript } from "./kill-scripts.js";
import type { SweepLedger } from "./sweep-ledger.js";
import { RUN_ID_PATTERN } from "./wrapper-script.js";
import { probeCli } from "./probe.js";
import { attachRun } from "./attach.js";
import { startRun, type RunContext, type StartedRun, type RunSettings } from "./run.js";
import type { RunScripts } from "./run-scripts.js";
import { targetScripts } from "./target-scripts.js";
import type { Runner } from "./runner.js";

/** A login PATH learned from a run is reused this long (so a newly installed CLI is found later). */
const PATH_TTL_MS = 10 * 60_000;
/** Retries of an owed sweep without waiting for the next use: an orphaned build should not run on. */
const SWEEP_RETRY_MS = [1_000, 5_000, 15_000, 30_000, 60_000];

export interface CliRunnerOptions extends RunSettings {
  executor: Executor;
  clock?: Clock;
  /** Where owed sweeps are kept across restarts (DATA_DIR/owed-sweeps.json); memory only without. */
  ledger?: SweepLedger;
  /** The scripts runs use on the target (tests stand in fakes). */
  scripts?: RunScripts;
}

export interface CliRunner extends Runner {
  /** Runs whose leftovers still wait for a sweep (their connection dropped). */
  owedSweeps(): number;
  /** Sweeps what is owed now; resolves when done (or when the target is still unreachable). */
  flushSweeps(): Promise<void>;
}

const shuttingDown = () =>
  new ExecError("unreachable", "Catalyst is shutting down: the run was not started.");

export function createCliRunner(opts: CliRunnerOptions): CliRunner {
  const { executor } = opts;
  const clock = opts.clock ?? systemClock;
  const active = new Map<string, StartedRun>();
  const owed = new Map<string, number | null>();
  let flushing: Promise<void> | null = null;
  let closed = false;
  let path: { value: string; at: number } | null = null;
  const loginPath = {
    get: () => (path && clock.now() - path.at < PATH_TTL_MS ? path.value : null),
    set: (value: string) => (path = { value, at: clock.now() }),
    forget: () => (path = null),
  };

  const persist = () =>
    opts.ledger?.save([...owed].map(([runId, pgid]) => ({ runId, pgid }))) ?? Promise.resolve();
  // What an earlier process still owed (it crashed or stopped before the target came back).
  let loaded: Promise<void> | null = opts.ledger
    ? opts.ledger.load().then((list) => {
        for (const { runId, pgid } of list) if (!owed.has(runId)) owed.set(runId, pgid);
        loaded = null;
      })
    : null;

  // Takes what is owed when called (synchronously), so a run's own sweep is not raced.
  const flushSweeps = (): Promise<void> => {
    if (loaded) return loaded.then(flushSweeps);
    if (owed.size === 0) return Promise.resolve();
    flushing ??= (async () => {
      // Sweeps owed while this pass runs are taken too, each tried once.
      const tried = new Set<string>();
      for (;;) {
        const next = [...owed].find(([runId]) => !tried.has(runId));
        if (!next) return;
        const [runId, pgid] = next;
        tried.add(runId);
        try {
          await executor.run(sweepScript(runId, pgid, { verifyGroup: true }));
        } catch {
          return; // Still unreachable: try again on the next use.
        }
        owed.delete(runId);
        await persist();
      }
    })().finally(() => (flushing = null));
    return flushing;
  };

  /** While sweeps are owed, keep trying in the background, waiting longer after each failure. */
  let retryTimer: (() => void) | null = null;
  const scheduleRetry = (attempt: number) => {
    if (retryTimer || owed.size === 0 || closed) return;
    const delay = SWEEP_RETRY_MS[Math.min(attempt, SWEEP_RETRY_MS.length - 1)] ?? 60_000;
    retryTimer = clock.setTimer(delay, () => {
      retryTimer = null;
      const before = owed.size;
      void flushSweeps().then(() => scheduleRetry(owed.size < before ? 0 : attempt + 1));
    });
  };

  const owe = (runId: string, pgid: number | null) => {
    owed.set(runId, pgid);
    void persist();
    scheduleRetry(0);
  };
  void flushSweeps().then(() => scheduleRetry(0));

  const sweep = async (runId: string): Promise<void> => {
    // Only an id we could have made: it goes into a shell script.
    if (!RUN_ID_PATTERN.test(runId)) return;
    await loaded;
    if (closed) return;
    owe(runId, null);
    await flushSweeps();
  };

  const scripts = opts.scripts ?? targetScripts;
  const track = (runId: string, make: (ctx: RunContext) => StartedRun): StartedRun => {
    void flushSweeps();
    // After close nothing would stop or sweep a new process: refuse it (as a failed run).
    const target: Executor = closed
      ? { ...executor, start: () => Promise.reject(shuttingDown()) }
      : executor;
    const run = make({ ...opts, executor: target, clock, scripts, loginPath, oweSweep: owe });
    active.set(runId, run);
    void run.done.finally(() => {
      if (active.get(runId) === run) active.delete(runId);
    });
    return run;
  };

  return {
    target: executor.target,
    start: (spec) => track(spec.runId, (ctx) => startRun(ctx, spec)),
    attach: (ref) => track(ref.runId, (ctx) => attachRun(ctx, ref)),
    async probe() {
      void flushSweeps();
      return probeCli(executor, opts.claudeBin, loginPath);
    },
    sweep,
    owedSweeps: () => owed.size,
    flushSweeps,
    async close(closeOpts = {}) {
      closed = true;
      retryTimer?.();
      const runs = [...active.values()];
      if (closeOpts.detach) {
        // The runs go on on the target, for a later attach; one not launched yet ends instead.
        for (const r of runs) r.letGo();
        await executor.close();
        return;
      }
      for (const r of runs) r.cancel();
      // Give cancelled runs their grace period to stop, then close the connections regardless.
      await Promise.race([
        Promise.all(runs.map((r) => r.done)),
        new Promise((r) => setTimeout(r, opts.cancelGraceMs + 2000).unref()),
      ]);
      await executor.close();
    },
  };
}
