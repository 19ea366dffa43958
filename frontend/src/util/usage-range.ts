// Days in UTC for the Usage page: the ranges it offers and every day of a range for the chart.
import type { UsageGroup } from "@catalyst/shared";

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of the UTC day `ms` falls in. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export type RangePreset = "month" | "30d" | "all";

/** The preset's first and last day (inclusive); null: unbounded. */
export function presetRange(
  preset: RangePreset,
  nowMs: number,
): { from: string | null; to: string | null } {
  const today = utcDay(nowMs);
  if (preset === "all") return { from: null, to: null };
  if (preset === "30d") return { from: utcDay(nowMs - 29 * DAY_MS), to: today };
  return { from: `${today.slice(0, 7)}-01`, to: today };
}

/**
 * Every day from `from` to `to` with its cost (0 for a day without runs), as the chart wants it:
 * x in seconds at midnight UTC. An open range runs from the first day with runs to the last.
 */
export function costPerDay(
  groups: readonly UsageGroup[],
  from: string | null,
  to: string | null,
): { x: number[]; costUsd: number[] } {
  const byDay = new Map(groups.map((g) => [g.key, g.costUsd]));
  const days = groups.map((g) => g.key).sort();
  const first = from ?? days[0];
  const last = to ?? days.at(-1);
  const x: number[] = [];
  const costUsd: number[] = [];
  if (first === undefined || last === undefined) return { x, costUsd };
  const end = Date.parse(`${last}T00:00:00Z`);
  // A year of days at most: an "all time" range over years still draws quickly.
  const start = Math.max(Date.parse(`${first}T00:00:00Z`), end - 365 * DAY_MS);
  for (let ms = start; ms <= end; ms += DAY_MS) {
    x.push(ms / 1000);
    costUsd.push(byDay.get(utcDay(ms)) ?? 0);
  }
  return { x, costUsd };
}
