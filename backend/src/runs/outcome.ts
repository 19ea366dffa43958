// How a run ended, in one word for the UI and one sentence for the person.
import { errorResultText, type ClaudeEvent, type RunOutcome } from "@catalyst/shared";
import { constants } from "node:os";
import type { ExitInfo } from "../exec/executor.js";

export type StopReason = "cancel" | "timeout";

export interface EndFacts {
  stop: StopReason | null;
  exit: ExitInfo;
  /** The wrapper did not find the CLI on the target. */
  noCli: boolean;
  /** The first line of an error `result` from the CLI, if it wrote one. */
  failure: string | null;
  lastStderr: string | null;
  timeoutMs: number;
  host: string;
  claudeBin: string;
}

export function describeOutcome(f: EndFacts): [RunOutcome, string | null] {
  // What we did to the run explains its end better than the exit status it caused.
  if (f.stop === "cancel") return ["cancelled", "Stopped on request."];
  if (f.stop === "timeout") {
    const s = Math.round(f.timeoutMs / 1000);
    return [
      "timed_out",
      `Claude Code wrote nothing for ${s} s (CLAUDE_TIMEOUT_MS), so the run was stopped.`,
    ];
  }
  if (f.exit.lost) {
    return [
      "disconnected",
      `Lost the connection to ${f.host} during the run; whatever it left running is stopped once the connection is back.`,
    ];
  }
  if (f.noCli)
    return ["failed", `${f.claudeBin} not found on ${f.host}: install it or set CLAUDE_BIN`];
  // An error result is a failure even when the CLI exits 0 (as it may for error_max_turns).
  if (f.exit.code === 0) {
    return f.failure ? ["failed", `Claude Code failed: ${f.failure}`] : ["completed", null];
  }
  if (f.exit.code !== null) {
    if (f.failure) return ["failed", `Claude Code failed: ${f.failure}`];
    return [
      "failed",
      `Claude Code exited with code ${f.exit.code}${f.lastStderr ? `: ${f.lastStderr}` : ""}`,
    ];
  }
  return ["failed", `Claude Code was killed by ${f.exit.signal ?? "a signal"}`];
}

/** What else can end a followed run: a bug of ours, its folder gone, its target's watchdog. */
export interface RunEndFacts extends EndFacts {
  /** A bug of ours ended it (the first line of the error). */
  internal: string | null;
  /** Its folder on the target is gone: what it did is not known. */
  folderGone: boolean;
  /** The target's watchdog ended it: no server followed it for ORPHAN_TIMEOUT_MS. */
  orphaned: boolean;
}

export function describeRunEnd(f: RunEndFacts): [RunOutcome, string | null] {
  if (f.internal !== null) return ["failed", `Internal error: ${f.internal}`];
  if (f.stop === null && f.folderGone)
    return [
      "disconnected",
      `The run's folder on ${f.host} is gone: what it did after that is not known.`,
    ];
  if (f.stop === null && f.orphaned)
    return [
      "disconnected",
      `No server followed this run for too long (ORPHAN_TIMEOUT_MS), so ${f.host} stopped it.`,
    ];
  return describeOutcome(f);
}

/** The failure an error `result` explains, in one line (EndFacts.failure). */
export function resultFailure(e: Extract<ClaudeEvent, { type: "result" }>): string | null {
  return errorResultText(e).split("\n", 1)[0]?.trim() || null;
}

/** A wait status as the shell reports it (`$?`): 128 + n means killed by signal n. */
export function exitInfoOf(status: number): ExitInfo {
  if (status > 128) {
    const n = status - 128;
    const name = Object.entries(constants.signals).find(([, v]) => v === n)?.[0];
    if (name) return { code: null, signal: name, lost: false };
  }
  return { code: status, signal: null, lost: false };
}
