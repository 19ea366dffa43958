import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import { AppError } from "../http/app-error.js";
import { checkBudget, formatUsd, utcMonth, type BudgetSettings } from "./budget.js";
import { createBudgetGate } from "./gate.js";
import type { UsageLedger } from "./ledger.js";

const none: BudgetSettings = { runBudgetUsd: null, monthlyBudgetUsd: null };
const at = Date.UTC(2026, 10, 15, 12); // 15 November 2026, noon UTC

describe("checkBudget", () => {
  it("applies no cap when no limit is set", () => {
    expect(
      checkBudget({ idea: { totalCostUsd: 3 }, settings: none, monthSpentUsd: 50, nowMs: at }),
    ).toEqual({ ok: true, capUsd: null, limit: null });
  });

  it("gives the run what is left of the smallest limit", () => {
    const idea = { budgetUsd: 5, totalCostUsd: 4.25 };
    // Idea: 0.75 left; run: 2; month: 100 - 99.5 = 0.5 left -> the month wins.
    expect(
      checkBudget({
        idea,
        settings: { runBudgetUsd: 2, monthlyBudgetUsd: 100 },
        monthSpentUsd: 99.5,
        nowMs: at,
      }),
    ).toEqual({ ok: true, capUsd: 0.5, limit: "monthly" });
    expect(
      checkBudget({
        idea,
        settings: { runBudgetUsd: 2, monthlyBudgetUsd: 100 },
        monthSpentUsd: 10,
        nowMs: at,
      }),
    ).toEqual({ ok: true, capUsd: 0.75, limit: "idea" });
    expect(
      checkBudget({
        idea,
        settings: { runBudgetUsd: 0.3, monthlyBudgetUsd: 100 },
        monthSpentUsd: 10,
        nowMs: at,
      }),
    ).toEqual({ ok: true, capUsd: 0.3, limit: "run" });
  });

  it("leaves no float noise in what is left", () => {
    const r = checkBudget({
      idea: { budgetUsd: 0.3, totalCostUsd: 0.1 },
      settings: none,
      monthSpentUsd: 0,
      nowMs: at,
    });
    expect(r).toEqual({ ok: true, capUsd: 0.2, limit: "idea" });
  });

  it("refuses a used-up idea budget, saying the budget and what was spent", () => {
    const r = checkBudget({
      idea: { budgetUsd: 5, totalCostUsd: 5.02 },
      settings: { runBudgetUsd: 1, monthlyBudgetUsd: 100 },
      monthSpentUsd: 10,
      nowMs: at,
    });
    expect(r).toEqual({
      ok: false,
      limit: "idea",
      message:
        "This idea's budget of $5.00 is used up: its runs have cost $5.02. Raise the budget to run it again.",
    });
    // A budget of 0 stops the idea before its first run.
    expect(
      checkBudget({
        idea: { budgetUsd: 0, totalCostUsd: 0 },
        settings: none,
        monthSpentUsd: 0,
        nowMs: at,
      }).ok,
    ).toBe(false);
  });

  it("refuses a used-up monthly budget, naming the setting and the month in UTC", () => {
    const r = checkBudget({
      idea: { budgetUsd: null, totalCostUsd: 0 },
      settings: { runBudgetUsd: null, monthlyBudgetUsd: 20 },
      monthSpentUsd: 20,
      nowMs: at,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.limit).toBe("monthly");
    expect(r.message).toContain("MONTHLY_BUDGET_USD");
    expect(r.message).toContain(
      "of $20.00 is used up: runs have cost $20.00 in November 2026 (UTC)",
    );
  });
});

describe("utcMonth and formatUsd", () => {
  it("cuts months at midnight UTC", () => {
    const last = Date.UTC(2026, 11, 31, 23, 59, 59, 999);
    expect(utcMonth(last)).toMatchObject({ key: "2026-12", name: "December 2026" });
    expect(utcMonth(last + 1)).toMatchObject({
      key: "2027-01",
      startMs: Date.UTC(2027, 0, 1),
      endMs: Date.UTC(2027, 1, 1),
    });
  });

  it("shows cents from a dollar up, and small costs with their digits", () => {
    expect(formatUsd(5)).toBe("$5.00");
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.0104)).toBe("$0.0104");
    expect(formatUsd(0.25)).toBe("$0.25");
  });
});

describe("the budget gate", () => {
  /** A ledger whose runs ended at the given times with the given costs. */
  function ledgerOf(runs: { endedMs: number; usd: number }[]): UsageLedger {
    return {
      load: async () => {},
      observe: () => {},
      runs: () => [],
      flushed: async () => {},
      spentUsd: (from, to) =>
        runs.filter((r) => r.endedMs >= from && r.endedMs < to).reduce((s, r) => s + r.usd, 0),
    };
  }
  const meta = {
    id: "a".repeat(21),
    title: "t",
    description: "",
    status: "captured" as const,
    sessionId: null,
    createdAt: "",
    updatedAt: "",
    totalCostUsd: 0,
    runs: 0,
  };

  it("counts only this month's runs, and a new month (UTC) starts from zero", () => {
    const endOfMonth = Date.UTC(2026, 10, 30, 23, 59, 0);
    const clock = new ManualClock(endOfMonth);
    const ledger = ledgerOf([
      { endedMs: Date.UTC(2026, 9, 31, 23, 0), usd: 50 }, // October: not counted in November
      { endedMs: Date.UTC(2026, 10, 3), usd: 8 },
      { endedMs: Date.UTC(2026, 10, 30, 23, 58), usd: 2 },
    ]);
    const gate = createBudgetGate({ runBudgetUsd: null, monthlyBudgetUsd: 10 }, ledger, clock);
    expect(() => gate.capFor(meta)).toThrow(AppError);
    try {
      gate.capFor(meta);
    } catch (err) {
      expect(err).toMatchObject({ code: "budget_exceeded", status: 402 });
      expect(String(err)).toContain("November 2026 (UTC)");
    }
    clock.advance(60_000); // 1 December 2026, 00:00 UTC
    expect(gate.capFor(meta)).toBe(10);
  });
});
