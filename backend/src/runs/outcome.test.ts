import { describe, expect, it } from "vitest";
import { describeOutcome, type EndFacts } from "./outcome.js";

const facts = (more: Partial<EndFacts>): EndFacts => ({
  stop: null,
  exit: { code: 0, signal: null, lost: false },
  noCli: false,
  failure: null,
  lastStderr: null,
  timeoutMs: 600_000,
  host: "devvm",
  claudeBin: "claude",
  ...more,
});

describe("describeOutcome", () => {
  it("names what we did before what the process reported", () => {
    const killed = { code: null, signal: "SIGKILL", lost: false };
    expect(describeOutcome(facts({ stop: "cancel", exit: killed }))[0]).toBe("cancelled");
    expect(describeOutcome(facts({ stop: "timeout", exit: killed }))).toEqual([
      "timed_out",
      "Claude Code wrote nothing for 600 s (CLAUDE_TIMEOUT_MS), so the run was stopped.",
    ]);
  });

  it("reports a lost link as disconnected whatever else happened", () => {
    const lost = { code: null, signal: null, lost: true };
    expect(describeOutcome(facts({ exit: lost, noCli: true }))[0]).toBe("disconnected");
  });

  it("prefers the CLI's own error, then stderr, then the bare exit status", () => {
    const one = { code: 1, signal: null, lost: false };
    expect(
      describeOutcome(facts({ exit: one, failure: "Invalid API key", lastStderr: "x" }))[1],
    ).toBe("Claude Code failed: Invalid API key");
    expect(describeOutcome(facts({ exit: one, lastStderr: "boom" }))[1]).toBe(
      "Claude Code exited with code 1: boom",
    );
    expect(
      describeOutcome(facts({ exit: { code: null, signal: "SIGSEGV", lost: false } })),
    ).toEqual(["failed", "Claude Code was killed by SIGSEGV"]);
  });

  it("completes on exit 0 with no message", () => {
    expect(describeOutcome(facts({}))).toEqual(["completed", null]);
  });
});

describe("describeOutcome with an error result", () => {
  it("fails a run whose CLI wrote an error result, even with exit code 0", () => {
    const facts: EndFacts = {
      stop: null,
      exit: { code: 0, signal: null, lost: false },
      noCli: false,
      failure: "Claude stopped after reaching the maximum number of turns (3).",
      lastStderr: null,
      timeoutMs: 1000,
      host: "vm",
      claudeBin: "claude",
    };
    expect(describeOutcome(facts)).toEqual([
      "failed",
      "Claude Code failed: Claude stopped after reaching the maximum number of turns (3).",
    ]);
    expect(describeOutcome({ ...facts, stop: "cancel" })[0]).toBe("cancelled");
  });
});
