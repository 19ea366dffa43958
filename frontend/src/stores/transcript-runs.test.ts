// Runs in the transcript: the active run, its footer, and errors said once.
import { describe, expect, it } from "vitest";
import type { TranscriptEvent } from "@catalyst/shared";
import { entries, ev } from "./fixtures.js";
import { notices, requesting } from "./items.test-helpers.js";
import { createTranscriptStore } from "./transcript.js";

describe("transcript store: runs", () => {
  it("tracks the active run through cancel to a footer with outcome, duration, turns and cost", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "build it", "build")]));
    expect(t.activeRun()).toEqual({ runId: "r1", mode: "build", cancelling: false });
    t.apply(entries("r1", [ev.cancel("r1")], 2));
    expect(t.activeRun()?.cancelling).toBe(true);
    t.apply(
      entries(
        "r1",
        [ev.result(0.0123, 3, true, ["interrupted"]), ev.finished("r1", "cancelled")],
        3,
      ),
    );
    expect(t.activeRun()).toBeNull();
    const footer = t.items().at(-1);
    expect(footer).toMatchObject({
      kind: "footer",
      mode: "build",
      outcome: "cancelled",
      durationMs: 4321,
      turns: 3,
      costUsd: 0.0123,
    });
    expect(t.items().some((i) => i.kind === "notice" && i.message === "interrupted")).toBe(true);
  });

  it("says a cancel once: no echo of the interruption, no 'Stopped on request.' under 'cancelled'", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        ev.cancel("r1"),
        ev.notice("user_message", "info", "[Request interrupted by user]"),
        ev.result(0.01, 1, true),
        ev.finished("r1", "cancelled", "Stopped on request."),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "footer"]);
    expect(t.items().at(-1)).toMatchObject({ outcome: "cancelled", message: null });
  });

  it("counts the tool calls a run was denied, each once though it comes as event and in the result", () => {
    const t = createTranscriptStore();
    const plain = ev.result(0.01, 2);
    if (plain.type !== "result") throw new Error("ev.result makes a result");
    const result: TranscriptEvent = {
      ...plain,
      permissionDenials: [
        { toolName: "Bash", toolUseId: "b1", input: {} },
        { toolName: "Bash", toolUseId: "b2", input: {} },
      ],
    };
    t.apply(
      entries("r1", [
        ev.started("r1", "build it", "build"),
        ev.toolUse("b1", "Bash", { command: "npm test" }),
        ev.toolUse("b2", "Bash", { command: "npm run build" }),
        ev.denied("b1", "Bash"),
        ev.denied("b2", "Bash"),
        result,
        ev.finished("r1", "completed"),
      ]),
    );
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", outcome: "completed", denied: 2 });
    // The next run starts its own count.
    t.apply(entries("r2", [ev.started("r2", "again"), ev.finished("r2", "completed")], 8));
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", denied: 0 });
  });

  it("remembers how the last run ended and what it was asked, so it can be tried again", () => {
    const t = createTranscriptStore();
    expect(t.lastEnded()).toBeNull();
    t.apply(
      entries("r1", [
        ev.started("r1", "plan the renamer", "build"),
        ev.finished("r1", "failed", "Claude Code failed."),
      ]),
    );
    expect(t.lastEnded()).toEqual({
      runId: "r1",
      outcome: "failed",
      mode: "build",
      prompt: "plan the renamer",
      budgetStopped: false,
    });
  });
});

describe("transcript store: model errors", () => {
  const sentence = "API Error: 500 Internal server error. This is a server-side issue.";

  it("shows a model error once: the API error line, not again from the result or the footer", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        requesting(),
        ev.notice("api_error", "error", sentence, { error: "server_error" }),
        ev.apiErrorResult(sentence),
        ev.finished("r1", "failed", `Claude Code failed: ${sentence}`),
      ]),
    );
    expect(notices(t.items())).toEqual([`error: ${sentence}`]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", outcome: "failed", message: null });
    expect(t.activity()).toBeNull();
  });

  it("shows the result's text as the error when no API error line came before it", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.apiErrorResult("Invalid API key · Fix external API key"),
        ev.finished("r1", "failed", "Claude Code failed: Invalid API key · Fix external API key"),
      ]),
    );
    expect(notices(t.items())).toEqual(["error: Invalid API key · Fix external API key"]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: null });
  });

  it("keeps the footer's sentence when the chat has not said it", () => {
    const t = createTranscriptStore();
    const message =
      "Claude Code wrote nothing for 600 s (CLAUDE_TIMEOUT_MS), so the run was stopped.";
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("api_error", "error", "an earlier error"),
        ev.finished("r1", "timed_out", message),
      ]),
    );
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message });
    // The next run starts afresh: the same error is shown again, and repeated by nothing else.
    t.apply(
      entries(
        "r2",
        [
          ev.started("r2", "again"),
          ev.apiErrorResult(sentence),
          ev.finished("r2", "failed", `Claude Code failed: ${sentence}`),
        ],
        4,
      ),
    );
    expect(notices(t.items())).toEqual(["error: an earlier error", `error: ${sentence}`]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: null });
  });

  it("does not show the CLI's internal diagnostics after an interrupted run", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.result(0.01, 2, true, ["[ede_diagnostic] result_type=user stop_reason=null"]),
        ev.finished("r1", "cancelled", "Stopped on request."),
      ]),
    );
    expect(notices(t.items())).toEqual([]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: "Stopped on request." });
  });

  it("says why an error result without text stopped the run, and does not call that run completed", () => {
    const t = createTranscriptStore();
    const maxTurns: TranscriptEvent = {
      type: "result",
      subtype: "error_max_turns",
      isError: true,
      costUsd: 0.02,
      durationMs: 1200,
      numTurns: 3,
      text: null,
      errors: [],
      permissionDenials: [],
      sessionId: null,
      usage: null,
    };
    t.apply(entries("r1", [ev.started("r1", "go"), maxTurns, ev.finished("r1")]));
    const notices = t.items().filter((i) => i.kind === "notice");
    expect(notices.map((n) => n.kind === "notice" && n.message)).toEqual([
      "Claude stopped after reaching the maximum number of turns (3).",
    ]);
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.outcome).toBe("failed");
  });

  it("adds nothing for the error result a cancel ends with: the footer says it", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        ev.cancel("r1"),
        ev.result(0.01, 1, true),
        ev.finished("r1", "cancelled", "Stopped on request."),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "footer"]);
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.outcome).toBe("cancelled");
  });

  it("keeps only the stderr lines the chat did not show already in the footer's tail", () => {
    const t = createTranscriptStore();
    const finished: TranscriptEvent = {
      type: "run_finished",
      runId: "r1",
      outcome: "failed",
      exitCode: 3,
      signal: null,
      durationMs: 400,
      message: "Claude Code exited with code 3: fatal",
      stderrTail: ["warning: shown", "fatal"],
    };
    t.apply(entries("r1", [ev.started("r1", "go"), ev.stderr("warning: shown"), finished]));
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.stderrTail).toEqual(["fatal"]);
  });
});
