// Runs of ideas: one at a time per idea, a bound on the whole server, every output into the transcript.
import {
  MESSAGE_MAX_BYTES,
  type ApprovalsPolicy,
  type PermissionAnswer,
  type IdeaStatus,
  type RunMode,
} from "@catalyst/shared";
import type { Clock } from "../clock.js";
import type { RunCheckpoints } from "../checkpoints/checkpoints.js";
import type { Ids, Logger } from "../deps.js";
import { AppError, toAppError } from "../http/app-error.js";
import type { Hub } from "../relay/hub.js";
import type { RunHandle, Runner } from "../runs/runner.js";
import type { BudgetGate } from "../usage/gate.js";
import { notWaitingError, policyAnswer, policyOf } from "./approvals.js";
import { shownMessage } from "./prompts.js";
import { makeActiveRun, type ActiveRun } from "./active-run.js";
import type { InterruptedRun } from "./interrupted-run.js";
import { followReattached } from "./reattached-run.js";
import { recordRunEnd } from "./run-end.js";
import { recordRunOutput, type RecordedRun, type RecordingStart } from "./run-recorder.js";
import { createRunJournal } from "./run-journal.js";
import { driveStarted } from "./started-run.js";
import type { IdeaStore } from "./store.js";

export interface RunService {
  /**
   * Starts a chat or build run; 404 unknown idea, 409 busy, 429 too many runs, 413 too large. A
   * chat message while a run of the idea goes on goes into that run (`queued: true`).
   */
  start(
    ideaId: string,
    mode: RunMode,
    message: string | undefined,
  ): Promise<{ runId: string; queued?: boolean }>;
  /** Answers a waiting permission request as the person; 404 unknown, 409 already answered. */
  answer(
    ideaId: string,
    requestId: string,
    answer: PermissionAnswer,
  ): Promise<{ runId: string; requestId: string }>;
  /** The idea's policy changed: a request waiting now gets what the new policy answers. */
  policyChanged(ideaId: string): Promise<void>;
  /** Asks the idea's run to stop; `runId` is null when nothing was running. */
  cancel(ideaId: string): Promise<{ runId: string | null }>;
  isActive(ideaId: string): boolean;
  activeCount(): number;
  /** Resolves once the runs going on now have ended (tests, shutdown). */
  whenIdle(): Promise<void>;
  /**
   * Follows a run an earlier server process started (meta.activeRunId at start-up) through
   * `Runner.attach`, and records it like a started one: its events, the build's status and
   * checkpoint, its cost, exactly one run_finished; chat messages and answers go into it.
   */
  reattach(ideaId: string, run: InterruptedRun): void;
  /** Cancels every run and waits for each to finish. */
  shutdown(): Promise<void>;
  /**
   * Stops recording every run and leaves them going on the target (their ideas keep naming them
   * as active, for the next start to reattach); a run whose launch had not reached the target ends
   * instead. Returns how many were left going.
   */
  detachAll(): Promise<number>;
}

export interface RunServiceDeps {
  store: IdeaStore;
  runner: Runner;
  hub: Hub;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  maxConcurrentRuns: number;
  /** Snapshots the project before and after each build run (its changes, its revert). */
  checkpoints?: RunCheckpoints;
  /** Refuses a run over a budget, and gives the cap a run passes to the CLI. */
  budget?: BudgetGate;
  /** The approvals policy of an idea without its own (BUILD_APPROVALS). */
  defaultApprovals: ApprovalsPolicy;
}

export function createRunService(deps: RunServiceDeps): RunService {
  const { store, runner, hub, logger } = deps;
  const active = new Map<string, ActiveRun>();
  const journal = createRunJournal({ store, hub, logger });
  const { append } = journal;

  function record(
    ideaId: string,
    run: ActiveRun,
    handle: RunHandle,
    start: RecordingStart,
  ): Promise<RecordedRun> {
    return recordRunOutput(
      { store, journal, logger, defaultApprovals: deps.defaultApprovals },
      ideaId,
      run,
      handle,
      start,
      // The snapshot of what the build changed is taken before the run is seen to end, so a
      // chat sent on seeing run_finished never finds the idea still busy with it.
      async () => {
        if (run.mode === "build") await deps.checkpoints?.mark(ideaId, run.runId, "after");
      },
    );
  }

  /**
   * The run is over (or detached): a build's idea is no longer "building" but says how it ended,
   * and the meta no longer names the run. A detached run keeps both for the next start.
   */
  async function settle(
    ideaId: string,
    run: ActiveRun,
    before: IdeaStatus | null,
    ended: RecordedRun | null,
  ) {
    // A detached run goes on on the target: the meta keeps it for the next start. One that was
    // never handed to the runner is over.
    const goesOn = ended?.detached || (run.isDetached() && run.handle !== null);
    if (!goesOn) await recordRunEnd(journal, ideaId, run, before, ended);
    if (active.get(ideaId) === run) active.delete(ideaId);
  }

  return {
    async start(ideaId, mode, message) {
      if (message !== undefined && Buffer.byteLength(message, "utf8") > MESSAGE_MAX_BYTES) {
        throw new AppError("too_large", `the message is larger than ${MESSAGE_MAX_BYTES} bytes`);
      }
      const shown = shownMessage(mode, message);
      if (shown === "") throw new AppError("bad_request", "message is required");
      const meta = await store.get(ideaId); // 404 before 409/429: an unknown idea is never "busy"
      deps.budget?.capFor(meta); // 402 budget_exceeded when a budget is used up
      // Checked and reserved with no await in between, so two requests cannot both pass.
      const going = active.get(ideaId);
      if (going) {
        if (mode !== "chat") {
          throw new AppError("busy", "this idea already has a run going; wait or cancel it");
        }
        if (!going.cancelled) {
          if (going.handle === null) going.early.push(shown);
          if (going.handle === null || going.handle.send(shown)) {
            return { runId: going.runId, queued: true };
          }
        }
        // The run is ending (cancelled, or its last result is in): the message starts the next.
        await going.done;
        return this.start(ideaId, mode, message);
      }
      if (active.size >= deps.maxConcurrentRuns) {
        throw new AppError(
          "too_many_runs",
          `the server is already running ${deps.maxConcurrentRuns} runs (MAX_CONCURRENT_RUNS); try again later`,
        );
      }
      const run = makeActiveRun(deps.ids.runId(), mode);
      active.set(ideaId, run);
      const runId = run.runId;
      let begun = { resolve: () => {}, reject: (_err: unknown) => {} };
      const written = new Promise<void>((resolve, reject) => (begun = { resolve, reject }));
      run.done = driveStarted(
        { ...deps, journal, record, settle },
        ideaId,
        run,
        mode,
        shown,
        begun,
      );
      try {
        await written;
      } catch (err) {
        await run.done;
        throw toAppError(err);
      }
      return { runId };
    },

    async cancel(ideaId) {
      await store.get(ideaId);
      const run = active.get(ideaId);
      if (!run) return { runId: null };
      if (!run.cancelled) {
        run.cancelled = true;
        await append(ideaId, run.runId, { type: "cancel_requested", runId: run.runId });
        run.handle?.cancel();
      }
      return { runId: run.runId };
    },

    async answer(ideaId, requestId, answer) {
      await store.get(ideaId);
      const run = active.get(ideaId);
      const result = run?.handle?.answer(requestId, answer, "user");
      if (run && result?.ok) return { runId: run.runId, requestId };
      if (result?.ok === false && result.reason === "answered") {
        throw new AppError("already_answered", "this request was already answered");
      }
      throw await notWaitingError(store, ideaId, requestId);
    },

    async policyChanged(ideaId) {
      const run = active.get(ideaId);
      if (!run?.handle || run.waiting.size === 0) return;
      const policy = policyOf(await store.get(ideaId), deps.defaultApprovals);
      for (const request of [...run.waiting.values()]) {
        const auto = policyAnswer(policy, run.mode, request);
        if (auto) run.handle.answer(request.requestId, auto, "policy");
      }
    },

    reattach(ideaId, from) {
      const run = makeActiveRun(from.ref.runId, from.ref.mode);
      for (const request of from.ref.waiting) run.waiting.set(request.requestId, request);
      run.cancelled = from.cancelRequested;
      active.set(ideaId, run);
      run.done = followReattached({ runner, logger, record, settle }, ideaId, run, from);
    },

    isActive: (ideaId) => active.has(ideaId),
    activeCount: () => active.size,

    async whenIdle() {
      await Promise.all([...active.values()].map((run) => run.done));
    },

    async shutdown() {
      const ideaIds = [...active.keys()];
      for (const ideaId of ideaIds) await this.cancel(ideaId).catch(() => undefined);
      await this.whenIdle();
    },

    async detachAll() {
      const runs = [...active.values()];
      let going = 0;
      for (const run of runs) {
        // A run whose launch had not reached the target is not left going: it ends now, and its
        // run_finished is recorded like any end (the meta no longer names it).
        if (run.handle && !run.handle.letGo()) continue;
        run.detach();
        // One never handed to the runner was refused (nothing started): not going either.
        if (run.handle) going++;
      }
      await Promise.all(runs.map((run) => run.done));
      return going;
    },
  };
}
