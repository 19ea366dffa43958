// Sums run usages for GET /api/usage: totals, and groups by day (UTC), idea or mode; and as CSV.
import type { UsageFigures, UsageGroup, UsageGroupBy } from "@catalyst/shared";
import type { RunUsage } from "./run-usage.js";

export const emptyFigures = (): UsageFigures => ({
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  runs: 0,
  turns: 0,
});

function add(into: UsageFigures, run: RunUsage): void {
  into.costUsd = Math.round((into.costUsd + run.costUsd) * 1e9) / 1e9;
  into.inputTokens += run.inputTokens;
  into.outputTokens += run.outputTokens;
  into.cacheReadTokens += run.cacheReadTokens;
  into.cacheWriteTokens += run.cacheWriteTokens;
  into.runs += 1;
  into.turns += run.turns;
}

/** The UTC day a run counts on: the day it ended. */
export const dayOf = (run: RunUsage): string => new Date(run.endedAt).toISOString().slice(0, 10);

export interface SummaryInput {
  runs: readonly RunUsage[];
  /** Inclusive UTC days, `YYYY-MM-DD`. */
  from: string | null;
  to: string | null;
  groupBy: UsageGroupBy;
  /** Idea titles by id; an idea not here was deleted. */
  titles: ReadonlyMap<string, string>;
}

export function summarise(input: SummaryInput): { totals: UsageFigures; groups: UsageGroup[] } {
  const totals = emptyFigures();
  const groups = new Map<string, UsageGroup>();
  for (const run of input.runs) {
    const day = dayOf(run);
    if (input.from !== null && day < input.from) continue;
    if (input.to !== null && day > input.to) continue;
    add(totals, run);
    const key = input.groupBy === "day" ? day : input.groupBy === "idea" ? run.ideaId : run.mode;
    let group = groups.get(key);
    if (!group) {
      const label =
        input.groupBy === "idea" ? (input.titles.get(run.ideaId) ?? "(deleted idea)") : key;
      group = { key, label, ...emptyFigures() };
      groups.set(key, group);
    }
    add(group, run);
  }
  const list = [...groups.values()];
  // Days in order; ideas and modes by cost, the most expensive first.
  if (input.groupBy === "day") list.sort((a, b) => a.key.localeCompare(b.key));
  else list.sort((a, b) => b.costUsd - a.costUsd || a.label.localeCompare(b.label));
  return { totals, groups: list };
}

const COLUMNS = [
  "costUsd",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "runs",
  "turns",
] as const;

/** RFC 4180 field; a leading =+-@ is quoted behind a ' so a spreadsheet does not run it. */
function field(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(
  groupBy: UsageGroupBy,
  groups: readonly UsageGroup[],
  totals: UsageFigures,
): string {
  const head = groupBy === "idea" ? ["ideaId", "title"] : [groupBy];
  const rows = [[...head, ...COLUMNS].join(",")];
  for (const g of groups) {
    const keys = groupBy === "idea" ? [g.key, g.label] : [g.key];
    rows.push([...keys.map(field), ...COLUMNS.map((c) => String(g[c]))].join(","));
  }
  const blank = groupBy === "idea" ? ["total", ""] : ["total"];
  rows.push([...blank, ...COLUMNS.map((c) => String(totals[c]))].join(","));
  return `${rows.join("\r\n")}\r\n`;
}
