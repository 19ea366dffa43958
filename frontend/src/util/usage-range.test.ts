import { describe, expect, it } from "vitest";
import { costPerDay, presetRange } from "./usage-range.js";

const group = (key: string, costUsd: number) => ({
  key,
  label: key,
  costUsd,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  runs: 1,
  turns: 1,
});

describe("usage ranges (UTC)", () => {
  it("starts this month on the 1st in UTC, even late on the last evening elsewhere", () => {
    // 1 December 2026, 00:30 UTC: still 30 November in New York, already December here.
    const now = Date.UTC(2026, 11, 1, 0, 30);
    expect(presetRange("month", now)).toEqual({ from: "2026-12-01", to: "2026-12-01" });
    expect(presetRange("30d", now)).toEqual({ from: "2026-11-02", to: "2026-12-01" });
    expect(presetRange("all", now)).toEqual({ from: null, to: null });
  });

  it("gives every day of the range a bar, days without runs at zero", () => {
    const days = costPerDay([group("2026-11-30", 0.25), group("2026-12-02", 0.2)], null, null);
    expect(days.costUsd).toEqual([0.25, 0, 0.2]);
    expect(days.x.map((s) => new Date(s * 1000).toISOString().slice(0, 10))).toEqual([
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
    ]);
    expect(costPerDay([], "2026-12-01", "2026-12-03").costUsd).toEqual([0, 0, 0]);
    expect(costPerDay([], null, null)).toEqual({ x: [], costUsd: [] });
  });
});
