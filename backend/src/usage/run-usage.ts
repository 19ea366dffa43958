// One run's usage (cost, tokens, turns) folded from its transcript entries, and the index line that keeps it.
import {
  runModeSchema,
  runOutcomeSchema,
  tokenCountsSchema,
  type TokenCounts,
  type TranscriptEntry,
} from "@catalyst/shared";
import { z } from "zod";

export const runUsageSchema = z.object({
  type: z.literal("run"),
  runId: z.string(),
  ideaId: z.string(),
  mode: runModeSchema,
  startedAt: z.string(),
  /** When the run ended: it counts on this day and in this month (UTC). */
  endedAt: z.string(),
  costUsd: z.number(),
  ...tokenCountsSchema.shape,
  turns: z.number().int().nonnegative(),
  outcome: runOutcomeSchema,
  /** The last result's subtype (`success`, `error_max_budget_usd`, ...), null without a result. */
  subtype: z.string().nullable(),
  sessionId: z.string().nullable(),
  /** The session's token totals as the CLI last reported them: the base of the next resumed run. */
  sessionTokens: tokenCountsSchema.nullable(),
});
export type RunUsage = z.infer<typeof runUsageSchema>;

export const ZERO_TOKENS: TokenCounts = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
};
const KEYS = Object.keys(ZERO_TOKENS) as (keyof TokenCounts)[];

const maxOf = (a: TokenCounts, b: TokenCounts): TokenCounts => ({
  inputTokens: Math.max(a.inputTokens, b.inputTokens),
  outputTokens: Math.max(a.outputTokens, b.outputTokens),
  cacheReadTokens: Math.max(a.cacheReadTokens, b.cacheReadTokens),
  cacheWriteTokens: Math.max(a.cacheWriteTokens, b.cacheWriteTokens),
});

interface OpenRun {
  runId: string;
  mode: RunUsage["mode"];
  startedAt: string;
  resumeSessionId: string | null;
  sessionId: string | null;
  /** What the session had reported before this run (zero for a new session). */
  base: TokenCounts;
  costUsd: number;
  tokens: TokenCounts;
  turns: number;
  subtype: string | null;
  sessionTokens: TokenCounts | null;
}

export interface RunFold {
  /** Takes the idea's entries in seq order; returns a run's usage when an entry ends that run. */
  take(entry: TranscriptEntry): RunUsage | null;
  /** What the runs that have not ended yet have cost so far. */
  openCostUsd(): number;
  /** How many runs began and have not ended yet (a run a restarted server follows again). */
  openRuns(): number;
}

/**
 * The same rule as the cost (ideas/run-cost.ts), for tokens: `modelUsage` covers the whole session
 * (restored on `--resume`), so a run's own tokens are its reported totals minus what the session
 * had reported before; a total below that means the CLI did not restore, and counts whole. A
 * result without `modelUsage` (older CLIs) falls back on `usage`, which is this process's alone.
 * Within a run, results repeat running totals, so each figure is the largest seen, not a sum.
 *
 * `sessionBases`: per session id, its last reported totals; shared by every idea's fold, updated
 * as runs end.
 */
export function createRunFold(ideaId: string, sessionBases: Map<string, TokenCounts>): RunFold {
  const open = new Map<string, OpenRun>();
  return {
    take(entry) {
      const ev = entry.event;
      if (ev.type === "run_started") {
        const base =
          ev.resumeSessionId === null
            ? ZERO_TOKENS
            : (sessionBases.get(ev.resumeSessionId) ?? ZERO_TOKENS);
        open.set(ev.runId, {
          runId: ev.runId,
          mode: ev.mode,
          startedAt: entry.ts,
          resumeSessionId: ev.resumeSessionId,
          sessionId: ev.resumeSessionId,
          base,
          costUsd: 0,
          tokens: ZERO_TOKENS,
          turns: 0,
          subtype: null,
          sessionTokens: null,
        });
        return null;
      }
      if (ev.type === "run_finished") {
        const run = open.get(ev.runId);
        if (!run) return null;
        open.delete(ev.runId);
        if (run.sessionId !== null && run.sessionTokens !== null) {
          sessionBases.set(run.sessionId, run.sessionTokens);
        }
        return {
          type: "run",
          runId: run.runId,
          ideaId,
          mode: run.mode,
          startedAt: run.startedAt,
          endedAt: entry.ts,
          costUsd: run.costUsd,
          ...run.tokens,
          turns: run.turns,
          outcome: ev.outcome,
          subtype: run.subtype,
          sessionId: run.sessionId,
          sessionTokens: run.sessionTokens,
        };
      }
      const run = entry.runId === null ? undefined : open.get(entry.runId);
      if (!run || (ev.parentToolUseId ?? null) !== null) return null;
      if (ev.type === "init") {
        run.sessionId = ev.sessionId;
        if (ev.sessionId !== run.resumeSessionId) run.base = ZERO_TOKENS;
      } else if (ev.type === "result") {
        // In a transcript, costUsd is already the run's own cost (see ideas/run-cost.ts).
        run.costUsd = Math.max(run.costUsd, ev.costUsd ?? 0);
        run.turns = Math.max(run.turns, ev.numTurns ?? 0);
        run.subtype = ev.subtype;
        if (ev.sessionId !== null && run.sessionId === null) run.sessionId = ev.sessionId;
        const reported = ev.sessionTokens ?? null;
        if (reported !== null) {
          if (KEYS.some((k) => reported[k] < run.base[k])) run.base = ZERO_TOKENS;
          const own = { ...ZERO_TOKENS };
          for (const k of KEYS) own[k] = reported[k] - run.base[k];
          run.tokens = maxOf(run.tokens, own);
          run.sessionTokens = reported;
        } else if (ev.usage) {
          run.tokens = maxOf(run.tokens, {
            inputTokens: ev.usage.input_tokens ?? 0,
            outputTokens: ev.usage.output_tokens ?? 0,
            cacheReadTokens: ev.usage.cache_read_input_tokens ?? 0,
            cacheWriteTokens: ev.usage.cache_creation_input_tokens ?? 0,
          });
        }
      }
      return null;
    },
    openRuns: () => open.size,
    openCostUsd() {
      let sum = 0;
      for (const run of open.values()) sum += run.costUsd;
      return sum;
    },
  };
}
