// The usage index: one line per ended run in DATA_DIR/usage.ndjson, so usage and the monthly budget
// never read transcripts on a request. Runs are recorded as their transcripts are written; a run
// the index misses (no index yet, a crash before the line was written) is found by streaming that
// idea's transcript once at startup.
import {
  transcriptEntrySchema,
  type IdeaMeta,
  type TokenCounts,
  type TranscriptEntry,
} from "@catalyst/shared";
import { join } from "node:path";
import { z } from "zod";
import type { Logger } from "../deps.js";
import type { FsPort } from "../fs/fs-port.js";
import { readLines } from "../ideas/transcript.js";
import { createRunFold, runUsageSchema, type RunFold, type RunUsage } from "./run-usage.js";

/** "This idea's transcript was read through when it had had `runs` runs": nothing to find there. */
const scannedSchema = z.object({
  type: z.literal("scanned"),
  ideaId: z.string(),
  runs: z.number(),
});
const indexLineSchema = z.discriminatedUnion("type", [runUsageSchema, scannedSchema]);
type IndexLine = z.infer<typeof indexLineSchema>;

/** {"seq":N,"ts":"...","runId":"<uuid>","event":{"type":"run_finished" fits well within this. */
const HEAD_BYTES = 256;
/** Only these entries matter to usage; the others are skipped without decoding them. */
const WANTED = /"event":\{"type":"(?:run_started|init|result|run_finished)"/;

export interface UsageLedger {
  /**
   * Reads the index and finds the runs it misses. Call it before anything is appended (before
   * start-up recovery): a run that has not ended (one the restarted server follows again) is
   * carried over from the transcript to the live record, which sees its end.
   */
  load(ideas: readonly IdeaMeta[]): Promise<void>;
  /** Every transcript entry as it is written (the store's onAppended). */
  observe(ideaId: string, entry: TranscriptEntry): void;
  /** Ended runs, in the order they ended. */
  runs(): readonly RunUsage[];
  /** What runs ended in [fromMs, toMs) cost, plus what the runs going on now have cost so far. */
  spentUsd(fromMs: number, toMs: number): number;
  /** Resolves once every index line observed so far is on disk. */
  flushed(): Promise<void>;
}

export interface UsageLedgerOptions {
  fs: FsPort;
  dataDir: string;
  logger: Logger;
}

export function createUsageLedger(opts: UsageLedgerOptions): UsageLedger {
  const { fs, logger } = opts;
  const indexPath = join(opts.dataDir, "usage.ndjson");
  const transcriptOf = (ideaId: string) => join(opts.dataDir, "ideas", ideaId, "events.ndjson");
  const recorded: RunUsage[] = [];
  const known = new Set<string>();
  const sessionBases = new Map<string, TokenCounts>();
  const folds = new Map<string, RunFold>();
  /**
   * A file's whole lines, a bounded piece at a time (none when it does not exist); with `wanted`,
   * only lines whose first bytes match it are decoded (a transcript's entry names its event type
   * there, ahead of a tool result that may be megabytes long).
   */
  async function* linesOf(path: string, wanted?: RegExp): AsyncGenerator<string> {
    for await (const { line } of readLines(fs, path, 0, Number.POSITIVE_INFINITY)) {
      if (wanted && !wanted.test(line.subarray(0, HEAD_BYTES).toString("latin1"))) continue;
      yield line.toString("utf8");
    }
  }
  let writes: Promise<void> = Promise.resolve();

  const write = (lines: IndexLine[]) => {
    if (lines.length === 0) return;
    const text = lines.map((l) => `${JSON.stringify(l)}\n`).join("");
    writes = writes
      .then(() => fs.appendFile(indexPath, text))
      .catch((err: unknown) => {
        // The run is in its transcript: the next start finds it again (the idea's count is short).
        logger.error("could not write the usage index", { error: String(err) });
      });
  };

  const keep = (run: RunUsage) => {
    known.add(run.runId);
    recorded.push(run);
    if (run.sessionId !== null && run.sessionTokens !== null) {
      sessionBases.set(run.sessionId, run.sessionTokens);
    }
  };

  /** Streams one idea's transcript; returns the runs the index does not have, and the fold. */
  async function scan(ideaId: string): Promise<{ found: RunUsage[]; fold: RunFold }> {
    const fold = createRunFold(ideaId, new Map());
    const found: RunUsage[] = [];
    for await (const line of linesOf(transcriptOf(ideaId), WANTED)) {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // a torn last line: the store cuts it; nothing of a finished run is in it
      }
      const entry = transcriptEntrySchema.safeParse(json);
      if (!entry.success) continue;
      const run = fold.take(entry.data);
      if (run && !known.has(run.runId)) found.push(run);
    }
    return { found, fold };
  }

  return {
    async load(ideas) {
      const scanned = new Map<string, number>();
      const counts = new Map<string, number>();
      let bad = 0;
      for await (const line of linesOf(indexPath)) {
        if (line.trim() === "") continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          json = undefined;
        }
        const parsed = indexLineSchema.safeParse(json);
        if (!parsed.success) {
          bad++;
          continue;
        }
        const l = parsed.data;
        if (l.type === "scanned") {
          scanned.set(l.ideaId, Math.max(l.runs, scanned.get(l.ideaId) ?? 0));
        } else if (!known.has(l.runId)) {
          keep(l);
          counts.set(l.ideaId, (counts.get(l.ideaId) ?? 0) + 1);
        }
      }
      if (bad > 0) logger.warn("skipped unreadable lines of the usage index", { lines: bad });
      for (const idea of ideas) {
        const seen = Math.max(counts.get(idea.id) ?? 0, scanned.get(idea.id) ?? 0);
        if (idea.runs <= seen) continue;
        try {
          const { found, fold } = await scan(idea.id);
          for (const run of found) keep(run);
          // The run still going (start-up follows it again) ends live: observe() goes on from
          // this fold. Not counted as scanned, so that a restart before it ends scans again.
          const going = idea.activeRunId === null ? 0 : fold.openRuns();
          if (going > 0) folds.set(idea.id, fold);
          const runs = idea.runs - going;
          write([...found, { type: "scanned", ideaId: idea.id, runs }]);
          if (found.length > 0) {
            logger.info("added runs to the usage index", { ideaId: idea.id, runs: found.length });
          }
        } catch (err) {
          logger.error("could not read a transcript for usage", {
            ideaId: idea.id,
            error: String(err),
          });
        }
      }
      await writes;
    },

    observe(ideaId, entry) {
      let fold = folds.get(ideaId);
      if (!fold) {
        fold = createRunFold(ideaId, sessionBases);
        folds.set(ideaId, fold);
      }
      const run = fold.take(entry);
      if (run && !known.has(run.runId)) {
        keep(run);
        write([run]);
      }
    },

    runs: () => recorded,

    spentUsd(fromMs, toMs) {
      let sum = 0;
      for (const run of recorded) {
        const at = Date.parse(run.endedAt);
        if (at >= fromMs && at < toMs) sum += run.costUsd;
      }
      for (const fold of folds.values()) sum += fold.openCostUsd();
      return Math.round(sum * 1e9) / 1e9;
    },

    flushed: () => writes,
  };
}
