import { describe, expect, it } from "vitest";
import { errorResultSentence, errorResultText } from "./error-result.js";

const result = (over: { subtype?: string; text?: string | null; errors?: string[] }) => ({
  subtype: over.subtype ?? "success",
  numTurns: 12,
  text: over.text ?? null,
  errors: over.errors ?? [],
});

describe("errorResultSentence", () => {
  it("says in words why a result without text failed", () => {
    expect(errorResultSentence("error_max_turns", 12)).toBe(
      "Claude stopped after reaching the maximum number of turns (12).",
    );
    expect(errorResultSentence("error_max_turns", null)).toBe(
      "Claude stopped after reaching the maximum number of turns.",
    );
    expect(errorResultSentence("error_max_budget_usd", 3)).toBe(
      "Claude stopped after reaching its spending limit.",
    );
    expect(errorResultSentence("error_something_new", null)).toBe(
      "Claude stopped: error something new.",
    );
  });
});

describe("errorResultText", () => {
  it("prefers the result's errors, without diagnostics, then its text, then the sentence", () => {
    expect(
      errorResultText(result({ errors: ["[ede_diagnostic] x", "No conversation found"] })),
    ).toBe("No conversation found");
    expect(errorResultText(result({ text: "API Error: 500" }))).toBe("API Error: 500");
    expect(errorResultText(result({ subtype: "error_max_turns", text: "" }))).toBe(
      "Claude stopped after reaching the maximum number of turns (12).",
    );
  });
});
