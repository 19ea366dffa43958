// How a run ended, in one word for the UI and one sentence for the person.
import { errorResultText, type ClaudeEvent, type RunOutcome } from "@catalyst/shared";
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

/** The failure an error `result` explains, in one line (EndFacts.failure). */
export function resultFailure(e: Extract<ClaudeEvent, { type: "result" }>): string | null {
  return errorResultText(e).split("\n", 1)[0]?.trim() || null;
}
