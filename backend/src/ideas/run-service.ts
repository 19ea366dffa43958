// Runs of ideas: one at a time per idea, a bound on the whole server, every output into the transcript.
import {
  runFinished,
  MESSAGE_MAX_BYTES,
  sessionIdSchema,
  type ApprovalsPolicy,
  type IdeaMeta,
  type PermissionAnswer,
  type PermissionRequestEvent,
  type IdeaStatus,
  type RunMode,
  type RunOutcome,
  type TranscriptEvent,
} from "@catalyst/shared";
import type { Clock } from "../clock.js";
import type { RunCheckpoints } from "../checkpoints/checkpoints.js";
import type { Ids, Logger } from "../deps.js";
import { AppError, isDiskFull, toAppError } from "../http/app-error.js";
import type { Hub } from "../relay/hub.js";
import type { RunHandle, Runner, RunOutput } from "../runs/runner.js";
import type { BudgetGate } from "../usage/gate.js";
import { notWaitingError, policyAnswer, policyOf } from "./approvals.js";
import { composePrompt, saysSessionMissing, shownMessage } from "./prompts.js";
import { statusAfterBuild, statusAtStart } from "./idea-status.js";
import { createRunCost } from "./run-cost.js";
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
  /** Cancels every run and waits for each to finish. */
  shutdown(): Promise<void>;
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

/** The run an idea has going (meta.activeRunId): its handle once started, and whether it was cancelled. */
interface ActiveRun {
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
}

const EVENTS_LOST_MESSAGE =
  "The server's disk is full: part of this run's output could not be saved, so the run was stopped. Free some space and send a message to continue.";

export function createRunService(deps: RunServiceDeps): RunService {
  const { store, runner, hub, logger } = deps;
  const active = new Map<string, ActiveRun>();

  /**
   * Appends one of a run's events. An event that cannot be written (a full disk) must not go
   * missing silently from a run that then says "completed": the run is stopped, marked, and its
   * end says why (written if the disk has room again by then).
   */
  async function append(
    ideaId: string,
    runId: string | null,
    event: TranscriptEvent,
    run?: ActiveRun,
  ) {
    try {
      await store.append(ideaId, runId, event);
    } catch (err) {
      logger.error("could not append to the transcript", {
        ideaId,
        eventType: event.type,
        error: String(err),
      });
      if (run && !run.eventsLost) {
        run.eventsLost = true;
        run.handle?.cancel();
      }
    }
  }

  async function update(ideaId: string, change: (meta: IdeaMeta) => IdeaMeta) {
    try {
      const meta = await store.update(ideaId, change);
      hub.ideaChanged(ideaId);
      return meta;
    } catch (err) {
      logger.error("could not update meta.json", { ideaId, error: String(err) });
      return null;
    }
  }

  /** Begins one CLI run: meta first (status, count, active run), then the runner. */
  async function begin(
    ideaId: string,
    run: ActiveRun,
    mode: RunMode,
    shown: string,
    onMetaWritten: () => void,
  ): Promise<{ handle: RunHandle; sessionCostBase: number; previous: IdeaStatus }> {
    let previous: IdeaStatus = "captured";
    const meta = await store.update(ideaId, (m) => {
      previous = m.status;
      return {
        ...m,
        status: statusAtStart(m.status, mode),
        runs: m.runs + 1,
        activeRunId: run.runId,
      };
    });
    hub.ideaChanged(ideaId);
    onMetaWritten();
    if (meta.status !== previous) {
      await append(ideaId, run.runId, { type: "status_changed", status: meta.status, previous });
    }
    if (mode === "build") await deps.checkpoints?.mark(ideaId, run.runId, "before");
    const prompt = composePrompt(meta, shown, meta.sessionId === null);
    const sessionCostBase = meta.sessionId === null ? 0 : (meta.sessionCostUsd ?? 0);
    const handle = runner.start({
      runId: run.runId,
      ideaId,
      mode,
      prompt,
      resumeSessionId: meta.sessionId,
      maxBudgetUsd: deps.budget?.capFor(meta) ?? null,
    });
    return { handle, sessionCostBase, previous };
  }

  /** Records one run's output in the transcript and meta; returns whether it failed because the
   * resumed session was gone. */
  async function recordRunOutput(
    ideaId: string,
    run: ActiveRun,
    handle: RunHandle,
    shown: string,
    sessionCostBase: number,
    /** Runs once the CLI is done and before run_finished is published (a viewer may start the next run then). */
    beforeFinished: () => Promise<void>,
  ): Promise<{
    sessionMissing: boolean;
    resumed: boolean;
    outcome: RunOutcome;
    errorResult: boolean;
  }> {
    let sessionMissing = false;
    let outcome: RunOutcome = "failed";
    let errorResult = false;
    let resumed = false;
    let finished = false;
    let resumedSessionId: string | null = null;
    const cost = createRunCost(sessionCostBase);
    const appendOf = (event: TranscriptEvent) => append(ideaId, run.runId, event, run);
    const handleOne = async (out: RunOutput) => {
      switch (out.type) {
        case "run_started":
          resumed = out.resumeSessionId !== null;
          resumedSessionId = out.resumeSessionId;
          // The transcript shows what the person wrote, not the idea context sent with it.
          await appendOf({ ...out, prompt: shown });
          return;
        case "init":
          await appendOf(out);
          // Saved now, not at the end: a run cut short can still be resumed.
          if (out.sessionId !== resumedSessionId) cost.newSession();
          if (sessionIdSchema.safeParse(out.sessionId).success) {
            await update(ideaId, (m) =>
              m.sessionId === out.sessionId
                ? m
                : { ...m, sessionId: out.sessionId, sessionCostUsd: 0 },
            );
          } else {
            logger.warn("the CLI gave a session id that is not a UUID", { ideaId });
          }
          return;
        case "result": {
          if (!out.parentToolUseId) errorResult = out.isError;
          const reported = out.costUsd;
          const counted = reported === null ? null : cost.observe(reported);
          // The transcript carries the run's own cost; the CLI's session total stays beside it.
          await appendOf(
            counted === null ? out : { ...out, costUsd: counted.own, sessionCostUsd: reported },
          );
          if (saysSessionMissing(out.text) || out.errors.some((e) => saysSessionMissing(e))) {
            sessionMissing = true;
          }
          if (reported !== null && counted !== null) {
            await update(ideaId, (m) => ({
              ...m,
              totalCostUsd: m.totalCostUsd + counted.added,
              sessionCostUsd: reported,
            }));
          }
          return;
        }
        case "permission_request": {
          // Unwritten, nobody could see it to answer: the run stops (appendOf) rather than wait.
          await appendOf(out);
          run.waiting.set(out.requestId, out);
          const meta = await store.get(ideaId).catch(() => null);
          const auto = meta && policyAnswer(policyOf(meta, deps.defaultApprovals), run.mode, out);
          if (auto) handle.answer(out.requestId, auto, "policy");
          return;
        }
        case "permission_answered":
          run.waiting.delete(out.requestId);
          await appendOf(out);
          return;
        case "stderr":
          if (saysSessionMissing(out.text)) sessionMissing = true;
          await appendOf(out);
          return;
        case "run_finished": {
          finished = true;
          // A run whose events were not all written did not complete, whatever the CLI says.
          const end: typeof out =
            run.eventsLost && out.outcome !== "failed"
              ? { ...out, outcome: "failed", message: EVENTS_LOST_MESSAGE }
              : out;
          outcome = end.outcome;
          if (end.outcome === "completed") sessionMissing = false;
          await beforeFinished();
          await appendOf(end);
          return;
        }
        default:
          await appendOf(out);
      }
    };
    try {
      for await (const out of handle.events) await handleOne(out);
    } catch (err) {
      // The Runner contract says events never throw; if one does, the run still has to end.
      logger.error("a run's events failed", { ideaId, runId: run.runId, error: String(err) });
    }
    if (!finished) {
      await beforeFinished();
      await append(
        ideaId,
        run.runId,
        runFinished({
          runId: run.runId,
          outcome: "failed",
          message: "The run ended without reporting how.",
        }),
      );
      sessionMissing = false;
    }
    return { sessionMissing, resumed, outcome, errorResult };
  }

  /**
   * `begun` settles once the run's first meta write is done: resolved, or rejected when the disk
   * is full, so that the request that started the run hears it (507) instead of a 202 for a run
   * that then does nothing visible.
   */
  async function drive(
    ideaId: string,
    run: ActiveRun,
    mode: RunMode,
    shown: string,
    begun: { resolve: () => void; reject: (err: unknown) => void },
  ) {
    /** The status before this run (the first attempt's, when a lost session is retried). */
    let before: IdeaStatus | null = null;
    let ended: { outcome: RunOutcome; errorResult: boolean } | null = null;
    try {
      let retried = false;
      for (;;) {
        const { handle, sessionCostBase, previous } = await begin(
          ideaId,
          run,
          mode,
          shown,
          begun.resolve,
        );
        before ??= previous;
        run.handle = handle;
        // Messages accepted (202 queued) before a cancel go in first, so they are recorded in the
        // run and end with it, as if they had come once it was running; never dropped unseen.
        for (const message of run.early.splice(0)) handle.send(message);
        if (run.cancelled) handle.cancel();
        const { sessionMissing, resumed, outcome, errorResult } = await recordRunOutput(
          ideaId,
          run,
          handle,
          shown,
          sessionCostBase,
          // The snapshot of what the build changed is taken before the run is seen to end, so a
          // chat sent on seeing run_finished never finds the idea still busy with it.
          async () => {
            if (mode === "build") await deps.checkpoints?.mark(ideaId, run.runId, "after");
          },
        );
        ended = { outcome, errorResult };
        if (!sessionMissing || !resumed || retried || run.cancelled) break;
        // The VM no longer has the conversation: start a new one rather than fail on every run.
        retried = true;
        await update(ideaId, (m) => ({
          ...m,
          sessionId: null,
          sessionCostUsd: 0,
          activeRunId: null,
        }));
        await append(ideaId, run.runId, {
          type: "notice",
          level: "warning",
          kind: "session_reset",
          message:
            "The previous Claude Code conversation no longer exists on the target (deleted, or " +
            "the folder changed). Starting a new conversation; earlier context is not carried over.",
        });
        run.runId = deps.ids.runId();
      }
    } catch (err) {
      if (isDiskFull(err)) begun.reject(err);
      else begun.resolve();
      logger.error("a run could not start", { ideaId, runId: run.runId, error: String(err) });
      await append(ideaId, run.runId, {
        type: "notice",
        level: "error",
        kind: "run_error",
        message: `The run could not start: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      // A build is over: the idea is no longer "building" but says how it ended.
      const after =
        mode === "build" && before !== null
          ? statusAfterBuild(before, ended?.outcome ?? null, ended?.errorResult ?? false)
          : null;
      let previous: IdeaStatus | null = null;
      const meta = await update(ideaId, (m) => {
        previous = m.status;
        return { ...m, activeRunId: null, status: after ?? m.status };
      });
      if (meta && previous !== null && meta.status !== previous) {
        await append(ideaId, run.runId, { type: "status_changed", status: meta.status, previous });
      }
      active.delete(ideaId);
    }
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
      const run: ActiveRun = {
        runId: deps.ids.runId(),
        handle: null,
        cancelled: false,
        eventsLost: false,
        done: Promise.resolve(),
        early: [],
        waiting: new Map(),
        mode,
      };
      active.set(ideaId, run);
      const runId = run.runId;
      let begun = { resolve: () => {}, reject: (_err: unknown) => {} };
      const written = new Promise<void>((resolve, reject) => (begun = { resolve, reject }));
      run.done = drive(ideaId, run, mode, shown, begun);
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
  };
}
