// GET /api/usage: what runs cost and used, from the usage index (never from transcripts).
import { usageQuerySchema, type UsageResponse } from "@catalyst/shared";
import { Hono } from "hono";
import type { Clock } from "../clock.js";
import type { AppEnv } from "../http/env.js";
import { parseOr400 } from "../http/validate.js";
import type { IdeaStore } from "../ideas/store.js";
import { utcMonth, type BudgetSettings } from "./budget.js";
import type { UsageLedger } from "./ledger.js";
import { summarise, toCsv } from "./summary.js";

export function usageRoutes(
  ledger: UsageLedger,
  store: IdeaStore,
  settings: BudgetSettings,
  clock: Clock,
) {
  return new Hono<AppEnv>().get("/", async (c) => {
    const q = parseOr400(usageQuerySchema, {
      from: c.req.query("from") || undefined,
      to: c.req.query("to") || undefined,
      groupBy: c.req.query("groupBy") || undefined,
      format: c.req.query("format") || undefined,
      ideaId: c.req.query("ideaId") || undefined,
    });
    const titles = new Map<string, string>();
    if (q.groupBy === "idea") for (const m of await store.list()) titles.set(m.id, m.title);
    const { totals, groups } = summarise({
      runs:
        q.ideaId === undefined ? ledger.runs() : ledger.runs().filter((r) => r.ideaId === q.ideaId),
      from: q.from ?? null,
      to: q.to ?? null,
      groupBy: q.groupBy,
      titles,
    });
    if (q.format === "csv") {
      const name = `catalyst-usage-by-${q.groupBy}${q.from ? `-from-${q.from}` : ""}${q.to ? `-to-${q.to}` : ""}.csv`;
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${name}"`);
      return c.body(toCsv(q.groupBy, groups, totals));
    }
    const month = utcMonth(clock.now());
    const body: UsageResponse = {
      from: q.from ?? null,
      to: q.to ?? null,
      groupBy: q.groupBy,
      totals,
      groups,
      limits: {
        runBudgetUsd: settings.runBudgetUsd,
        monthlyBudgetUsd: settings.monthlyBudgetUsd,
        month: month.key,
        monthSpentUsd: ledger.spentUsd(month.startMs, month.endMs),
      },
    };
    return c.json(body);
  });
}
