import { describe, expect, it } from "vitest";
import { asSentence, formatBytes, formatCost, formatDuration } from "./format.js";

describe("format", () => {
  it("shows costs with enough digits to be meaningful", () => {
    expect(formatCost(null)).toBe("–");
    expect(formatCost(0)).toBe("$0");
    expect(formatCost(0.0042)).toBe("$0.0042");
    expect(formatCost(1.234)).toBe("$1.23");
  });
  it("shows durations in the unit a person reads", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(4321)).toBe("4.3 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
  });
  it("shows sizes in B, KB, MB", () => {
    expect(formatBytes(12)).toBe("12 B");
    expect(formatBytes(200 * 1024)).toBe("200.0 KB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MB");
  });
  it("ends the server's words with a stop, so the next sentence does not run into them", () => {
    expect(asSentence("/nonexistent not found on this machine: set CLAUDE_BIN")).toBe(
      "/nonexistent not found on this machine: set CLAUDE_BIN.",
    );
    expect(asSentence("Already a sentence.")).toBe("Already a sentence.");
    expect(asSentence(null)).toBe("");
  });
});
