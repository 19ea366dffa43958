// Run bookkeeping for the transcript: the active run, its activity label, its result, and the
// footer that closes it (without repeating errors or output the chat already showed).
import { createSignal } from "solid-js";
import {
  errorResultOwnText,
  errorResultText as sharedErrorResultText,
  type RunMode,
  type RunOutcome,
  type TranscriptEvent,
} from "@catalyst/shared";
import type { ActiveRunView, FooterItem } from "./transcript-items.js";

type Ev<T extends TranscriptEvent["type"]> = Extract<TranscriptEvent, { type: T }>;

export type RunTracker = ReturnType<typeof createRunTracker>;

/** How a run ended and what it had been asked: enough to try it again. */
export type LastRun = {
  runId: string;
  outcome: RunOutcome;
  mode: RunMode;
  prompt: string;
  /** The CLI stopped it at its --max-budget-usd: trying again would be stopped (or refused) again. */
  budgetStopped: boolean;
};

export function createRunTracker() {
  const pendingResult = new Map<
    string,
    { costUsd: number | null; turns: number | null; isError: boolean; budgetStopped: boolean }
  >();
  /** CLI output lines the current run already showed: the footer's tail need not repeat them. */
  const shownOutput = new Set<string>();
  const [activeRun, setActiveRun] = createSignal<ActiveRunView | null>(null);
  /** What the active run is doing right now ("Requesting…"), from transient CLI notices. */
  const [activity, setActivity] = createSignal<string | null>(null);
  /** First lines of the errors the current run already showed, so none is repeated. */
  const shownErrors = new Set<string>();
  /** Tool calls the current run was denied (one denial can come twice: its event and the result). */
  const denied = new Set<string>();
  /** What the current run was asked, so a failed one can be tried again. */
  let asked: { mode: RunMode; prompt: string } | null = null;
  /** How the last run ended, and what it was asked. */
  const [lastEnded, setLastEnded] = createSignal<LastRun | null>(null);

  return {
    activeRun,
    activity,
    setActivity,
    lastEnded,
    start(ev: Ev<"run_started">) {
      setActivity(null);
      shownErrors.clear();
      shownOutput.clear();
      denied.clear();
      asked = { mode: ev.mode, prompt: ev.prompt };
      setActiveRun({ runId: ev.runId, mode: ev.mode, cancelling: false });
    },
    cancelRequested(ev: Ev<"cancel_requested">) {
      const run = activeRun();
      if (run && run.runId === ev.runId) setActiveRun({ ...run, cancelling: true });
    },
    /** Keeps a result's figures for the footer of the run it belongs to. */
    result(runId: string | null | undefined, ev: Ev<"result">) {
      pendingResult.set(runId ?? activeRun()?.runId ?? "", {
        costUsd: ev.costUsd,
        turns: ev.numTurns,
        isError: ev.isError,
        budgetStopped: ev.subtype === "error_max_budget_usd",
      });
    },
    /** Ends the run and returns its footer. */
    finish(seq: number, ev: Ev<"run_finished">): FooterItem {
      const run = activeRun();
      const result = pendingResult.get(ev.runId);
      pendingResult.delete(ev.runId);
      if (run?.runId === ev.runId) setActiveRun(null);
      setActivity(null);
      // "Claude Code failed: <the error>" adds nothing when that error is already in the chat.
      const message = ev.message;
      const repeated = message !== null && [...shownErrors].some((e) => message.includes(e));
      shownErrors.clear();
      const stderrTail = ev.stderrTail.filter((l) => !shownOutput.has(l));
      shownOutput.clear();
      // The CLI can exit 0 after an error result (max turns, budget): that run did not complete.
      const outcome = ev.outcome === "completed" && result?.isError ? "failed" : ev.outcome;
      // "Stopped on request." says again what "Chat cancelled" says, when the person asked for it.
      const restated = outcome === "cancelled" && run?.cancelling === true;
      const mode = run?.mode ?? asked?.mode ?? "chat";
      const footer: FooterItem = {
        kind: "footer",
        key: `f${seq}`,
        runId: ev.runId,
        mode,
        outcome,
        durationMs: ev.durationMs,
        turns: result?.turns ?? null,
        costUsd: result?.costUsd ?? null,
        message: repeated || restated ? null : message,
        stderrTail,
        denied: denied.size,
      };
      denied.clear();
      setLastEnded({
        runId: ev.runId,
        outcome,
        mode,
        prompt: asked?.prompt ?? "",
        budgetStopped: result?.budgetStopped === true,
      });
      asked = null;
      return footer;
    },
    /** An error the chat showed: the footer and later results need not say it again. */
    errorShown(message: string) {
      const line = firstLine(message);
      if (line) shownErrors.add(line);
    },
    wasErrorShown: (text: string) => shownErrors.has(firstLine(text)),
    outputShown(line: string) {
      shownOutput.add(line);
    },
    /** A tool call of the current run was denied (`key`: its id, or something unique without one). */
    deniedCall(key: string) {
      denied.add(key);
    },
    /** The current run is being stopped on request: its interruption needs no line of its own. */
    cancelling: () => activeRun()?.cancelling === true,
  };
}

/** What an error result says to people, or "" when the footer says it already. */
export function errorResultText(ev: Ev<"result">): string {
  // What a cancel (SIGINT) ends with: the footer already says the run was stopped.
  if (ev.subtype === "error_during_execution" && !errorResultOwnText(ev)) return "";
  return sharedErrorResultText(ev);
}

function firstLine(text: string): string {
  return text.trim().split("\n", 1)[0]?.trim() ?? "";
}
