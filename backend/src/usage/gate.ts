// The check the run service makes before a run starts: refuse (402 budget_exceeded) or give the cap.
import type { IdeaMeta } from "@catalyst/shared";
import type { Clock } from "../clock.js";
import { AppError } from "../http/app-error.js";
import { checkBudget, utcMonth, type BudgetSettings } from "./budget.js";
import type { UsageLedger } from "./ledger.js";

export interface BudgetGate {
  /** The run's --max-budget-usd (null: no limit); throws AppError `budget_exceeded` to refuse. */
  capFor(meta: IdeaMeta): number | null;
}

export function createBudgetGate(
  settings: BudgetSettings,
  ledger: UsageLedger,
  clock: Clock,
): BudgetGate {
  return {
    capFor(meta) {
      const nowMs = clock.now();
      const month = utcMonth(nowMs);
      const check = checkBudget({
        idea: meta,
        settings,
        // The ledger is only read when a monthly budget is set (it is in memory either way).
        monthSpentUsd:
          settings.monthlyBudgetUsd === null ? 0 : ledger.spentUsd(month.startMs, month.endMs),
        nowMs,
      });
      if (!check.ok) throw new AppError("budget_exceeded", check.message);
      return check.capUsd;
    },
  };
}
