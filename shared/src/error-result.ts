// What an error `result` from the CLI says to people, in one wording for the server's run message
// and the page's chat line.
import type { ClaudeEvent } from "./events.js";

type ResultEvent = Extract<ClaudeEvent, { type: "result" }>;

/** Why Claude Code stopped, for an error result that carries no text of its own. */
export function errorResultSentence(subtype: string, numTurns: number | null): string {
  switch (subtype) {
    case "error_max_turns":
      return `Claude stopped after reaching the maximum number of turns${numTurns === null ? "" : ` (${numTurns})`}.`;
    case "error_max_budget_usd":
      return "Claude stopped after reaching its spending limit.";
    case "error_during_execution":
      return "Claude stopped with an error during execution.";
    default:
      return `Claude stopped: ${subtype.replace(/_/g, " ")}.`;
  }
}

/** The text an error result has of its own: its errors (without diagnostics), else its text. */
export function errorResultOwnText(ev: Pick<ResultEvent, "errors" | "text">): string {
  // Model errors (500, bad key) come as text with subtype "success"; diagnostics are not for people.
  const errors = ev.errors.filter((e) => !e.startsWith("[ede_diagnostic]"));
  return errors.length > 0 ? errors.join("\n") : (ev.text ?? "").trim();
}

/** What an error result says to people: its own text, else a sentence for its subtype. */
export function errorResultText(
  ev: Pick<ResultEvent, "errors" | "text" | "subtype" | "numTurns">,
): string {
  return errorResultOwnText(ev) || errorResultSentence(ev.subtype, ev.numTurns);
}
