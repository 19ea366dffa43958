// What runs cost and used, summed: the shapes of GET /api/usage.
import { z } from "zod";

/** Token counts, as the CLI reports them in `usage` / `modelUsage`. */
export const tokenCountsSchema = z.object({
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cacheReadTokens: z.number().nonnegative(),
  cacheWriteTokens: z.number().nonnegative(),
});
export type TokenCounts = z.infer<typeof tokenCountsSchema>;

/** Cost, tokens, runs and turns of some runs. */
export const usageFiguresSchema = tokenCountsSchema.extend({
  costUsd: z.number(),
  runs: z.number().int().nonnegative(),
  turns: z.number().int().nonnegative(),
});
export type UsageFigures = z.infer<typeof usageFiguresSchema>;

export const usageGroupBySchema = z.enum(["day", "idea", "mode"]);
export type UsageGroupBy = z.infer<typeof usageGroupBySchema>;

/** `YYYY-MM-DD`, a day in UTC. */
export const utcDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a day as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "is not a real day");

export const usageQuerySchema = z
  .object({
    from: utcDaySchema.optional(),
    to: utcDaySchema.optional(),
    groupBy: usageGroupBySchema.default("day"),
    /** Only this idea's runs (the idea header's figures). */
    ideaId: z.string().max(64).optional(),
    format: z.enum(["json", "csv"]).default("json"),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: "from must not be after to",
  });

export const usageGroupSchema = usageFiguresSchema.extend({
  /** The day (`YYYY-MM-DD`), the idea id, or the mode. */
  key: z.string(),
  /** What a person reads: the day, the idea's title (or "deleted idea"), the mode. */
  label: z.string(),
});
export type UsageGroup = z.infer<typeof usageGroupSchema>;

export const usageLimitsSchema = z.object({
  runBudgetUsd: z.number().nullable(),
  monthlyBudgetUsd: z.number().nullable(),
  /** The calendar month (UTC) the monthly budget is counted in, `YYYY-MM`. */
  month: z.string(),
  /** What runs have cost this month, including the runs going on now. */
  monthSpentUsd: z.number(),
});
export type UsageLimits = z.infer<typeof usageLimitsSchema>;

export const usageResponseSchema = z.object({
  from: z.string().nullable(),
  to: z.string().nullable(),
  groupBy: usageGroupBySchema,
  totals: usageFiguresSchema,
  groups: z.array(usageGroupSchema),
  limits: usageLimitsSchema,
});
export type UsageResponse = z.infer<typeof usageResponseSchema>;
