import type { TranscriptEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { entries, ev } from "./fixtures.js";
import { notices } from "./items.test-helpers.js";
import { budgetStopText, createTranscriptStore } from "./transcript.js";

describe("a run the CLI stopped at its budget", () => {
  const stopped: TranscriptEvent = {
    type: "result",
    subtype: "error_max_budget_usd",
    isError: true,
    costUsd: 0.2,
    durationMs: 900,
    numTurns: 1,
    text: null,
    errors: ["Reached maximum budget ($0.05)"],
    permissionDenials: [],
    sessionId: null,
    usage: null,
  };

  it("is one line in words naming the cap, and no error notice repeating the CLI", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        stopped,
        ev.finished("r1", "failed", "Reached maximum budget ($0.05)"),
      ]),
    );
    const stops = t.items().filter((i) => i.kind === "budget_stop");
    expect(stops).toEqual([
      {
        kind: "budget_stop",
        key: "b2",
        message:
          "Claude stopped: this run reached its spending cap of $0.05, which is what was left under this idea's budget and the server's limits.",
      },
    ]);
    expect(notices(t.items())).toEqual([]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", outcome: "failed" });
  });

  it("remembers that the last run was stopped by its budget, so it is not offered as a Retry", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "go"), stopped, ev.finished("r1", "failed")]));
    expect(t.lastEnded()).toMatchObject({ runId: "r1", outcome: "failed", budgetStopped: true });
    t.apply(entries("r2", [ev.started("r2", "again"), ev.finished("r2", "failed")], 4));
    expect(t.lastEnded()).toMatchObject({ runId: "r2", budgetStopped: false });
  });

  it("shows a refusal to start as its own line, apart from the CLI's stop", () => {
    const t = createTranscriptStore();
    t.addBudgetRefusal("This idea's budget of $0.30 is used up.");
    expect(t.items()).toEqual([
      {
        kind: "budget_refused",
        key: "e-local-1",
        message: "This idea's budget of $0.30 is used up.",
      },
    ]);
  });

  it("writes the cap as money, as the header does ($0.50, not the CLI's $0.5)", () => {
    expect(budgetStopText(["Reached maximum budget ($0.5)"])).toMatch(/spending cap of \$0\.50,/);
    expect(budgetStopText(["Reached maximum budget ($12)"])).toMatch(/spending cap of \$12\.00,/);
  });

  it("says so without a figure when the CLI gave none", () => {
    expect(budgetStopText([])).toMatch(/^Claude stopped: this run reached its spending cap, which/);
  });
});
