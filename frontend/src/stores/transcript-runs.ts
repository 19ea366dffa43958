// Run bookkeeping for the transcript: the active run, its activity label, its result, and the
// footer that closes it (without repeating errors or output the chat already showed).
import { createSignal } from "solid-js";
import {
  errorResultOwnText,
  errorResultText as sharedErrorResultText,
  type TranscriptEvent,
} from "@catalyst/shared";
import type { ActiveRunView, FooterItem } from "./transcript-items.js";

type Ev<T extends TranscriptEvent["type"]> = Extract<TranscriptEvent, { type: T }>;

export type RunTracker = ReturnType<typeof createRunTracker>;

export function createRunTracker() {
  const pendingResult = new Map<
    string,
    { costUsd: number | null; turns: number | null; isError: boolean }
  >();
  /** CLI output lines the current run already showed: the footer's tail need not repeat them. */
  const shownOutput = new Set<string>();
  const [activeRun, setActiveRun] = createSignal<ActiveRunView | null>(null);
  /** What the active run is doing right now ("Requesting…"), from transient CLI notices. */
  const [activity, setActivity] = createSignal<string | null>(null);
  /** First lines of the errors the current run already showed, so none is repeated. */
  const shownErrors = new Set<string>();

  return {
    activeRun,
    activity,
    setActivity,
    start(ev: Ev<"run_started">) {
      setActivity(null);
      shownErrors.clear();
      shownOutput.clear();
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
      return {
        kind: "footer",
        key: `f${seq}`,
        mode: run?.mode ?? "chat",
        // The CLI can exit 0 after an error result (max turns, budget): that run did not complete.
        outcome: ev.outcome === "completed" && result?.isError ? "failed" : ev.outcome,
        durationMs: ev.durationMs,
        turns: result?.turns ?? null,
        costUsd: result?.costUsd ?? null,
        message: repeated ? null : message,
        stderrTail,
      };
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
