// The budgets: which limit applies to a run, what it may still spend, and the words of a refusal.

export interface BudgetSettings {
  /** RUN_BUDGET_USD: what one run may cost. */
  runBudgetUsd: number | null;
  /** MONTHLY_BUDGET_USD: what all runs may cost in a calendar month, UTC. */
  monthlyBudgetUsd: number | null;
}

export type BudgetLimit = "idea" | "run" | "monthly";

export type BudgetCheck =
  | {
      ok: true;
      /** What the run may spend (its --max-budget-usd); null: no limit applies. */ capUsd:
        number | null;
      limit: BudgetLimit | null;
    }
  | { ok: false; limit: BudgetLimit; message: string };

export interface BudgetInput {
  idea: { budgetUsd?: number | null; totalCostUsd: number };
  settings: BudgetSettings;
  /** What runs have cost in the current month (UTC), the runs going on now included. */
  monthSpentUsd: number;
  /** Now, for the month's name in a refusal. */
  nowMs: number;
}

const round = (usd: number): number => Math.round(usd * 1e9) / 1e9;

/** $5.00, $0.0104: cents once it is a dollar or more, else enough digits to see a small cost. */
export function formatUsd(usd: number): string {
  if (Math.abs(usd) >= 1 || usd === 0) return `$${usd.toFixed(2)}`;
  const fixed = usd.toFixed(4).replace(/0{1,2}$/, "");
  return `$${fixed}`;
}

/** [start, end) of the calendar month (UTC) that `ms` falls in. */
export function utcMonth(ms: number): {
  startMs: number;
  endMs: number;
  name: string;
  key: string;
} {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const name = d.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
  return {
    startMs: Date.UTC(y, m, 1),
    endMs: Date.UTC(y, m + 1, 1),
    name,
    key: `${y}-${String(m + 1).padStart(2, "0")}`,
  };
}

/**
 * The smallest applicable limit wins: each limit leaves some amount, the run may spend the least
 * of them, and a limit with nothing left refuses the run (the idea's before the month's, the first
 * a person can do something about).
 */
export function checkBudget(input: BudgetInput): BudgetCheck {
  const { idea, settings } = input;
  const left: { limit: BudgetLimit; usd: number }[] = [];
  if (idea.budgetUsd !== undefined && idea.budgetUsd !== null) {
    const usd = round(idea.budgetUsd - idea.totalCostUsd);
    if (usd <= 0) {
      return {
        ok: false,
        limit: "idea",
        message:
          `This idea's budget of ${formatUsd(idea.budgetUsd)} is used up: its runs have cost ` +
          `${formatUsd(idea.totalCostUsd)}. Raise the budget to run it again.`,
      };
    }
    left.push({ limit: "idea", usd });
  }
  if (settings.monthlyBudgetUsd !== null) {
    const usd = round(settings.monthlyBudgetUsd - input.monthSpentUsd);
    if (usd <= 0) {
      const month = utcMonth(input.nowMs);
      return {
        ok: false,
        limit: "monthly",
        message:
          `The server's monthly budget (MONTHLY_BUDGET_USD) of ${formatUsd(settings.monthlyBudgetUsd)} ` +
          `is used up: runs have cost ${formatUsd(input.monthSpentUsd)} in ${month.name} (UTC). ` +
          `Runs can start again next month, or when the limit is raised.`,
      };
    }
    left.push({ limit: "monthly", usd });
  }
  if (settings.runBudgetUsd !== null) left.push({ limit: "run", usd: settings.runBudgetUsd });
  let least: { limit: BudgetLimit; usd: number } | null = null;
  for (const l of left) if (least === null || l.usd < least.usd) least = l;
  return least === null
    ? { ok: true, capUsd: null, limit: null }
    : { ok: true, capUsd: least.usd, limit: least.limit };
}
