// What the target says about one run's folder (statusScript) and its parsed form (parseRunStatus).
import { z } from "zod";
import { RUN_MARKER_NAME } from "./markers.js";
import { RUN_FILES as F } from "./supervisor-script.js";
import { runDirExpr } from "./target-paths.js";

/**
 * For `executor.run`: `key=value` lines. `folder=0|1`, then with a folder `pgid=` (once known),
 * `exit=` (the CLI's wait status, once it ended), `orphaned=1`, `alive=0|1` (the supervisor or a
 * process of the CLI's group still runs; relays and followers do not count), `out_bytes=`,
 * `err_bytes=`, `last_write_ms=` (newest mtime of the output files) and `now_ms=` (both by the
 * target's clock, epoch ms).
 */
export function statusScript(remoteRoot: string, ideaId: string, runId: string): string {
  return [
    `r=${runDirExpr(remoteRoot, ideaId, runId)}`,
    `[ -d "$r" ] || { echo folder=0; exit 0; }`,
    `echo folder=1`,
    `g=$(cat "$r/${F.pgid}" 2>/dev/null); [ -n "$g" ] && echo "pgid=$g"`,
    `v=$(cat "$r/${F.exit}" 2>/dev/null); [ -n "$v" ] && echo "exit=$v"`,
    `[ -e "$r/${F.orphaned}" ] && echo orphaned=1`,
    `a=0`,
    `s=$(cat "$r/${F.supervisor}" 2>/dev/null)`,
    `[ -n "$s" ] && grep -qzx "${RUN_MARKER_NAME}=${runId}" "/proc/$s/environ" 2>/dev/null && a=1`,
    `[ "$a" = 0 ] && [ -n "$g" ] && ps -eo pgid=,stat= | awk -v g="$g" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }' && a=1`,
    `echo "alive=$a"`,
    `echo "out_bytes=$(stat -c %s "$r/${F.out}" 2>/dev/null || echo 0)"`,
    `echo "err_bytes=$(stat -c %s "$r/${F.err}" 2>/dev/null || echo 0)"`,
    `m=0; for f in "$r/${F.out}" "$r/${F.err}"; do t=$(date -r "$f" +%s%3N 2>/dev/null) && [ "$t" -gt "$m" ] && m=$t; done`,
    `echo "last_write_ms=$m"`,
    `echo "now_ms=$(date +%s%3N)"`,
    "",
  ].join("\n");
}

const count = z.coerce.number().int().nonnegative();
const flag = z.enum(["0", "1"]).transform((v) => v === "1");

const linesSchema = z.discriminatedUnion("folder", [
  z.object({ folder: z.literal("0") }),
  z.object({
    folder: z.literal("1"),
    pgid: z.coerce.number().int().gt(1).optional(),
    exit: count.optional(),
    orphaned: flag.optional(),
    alive: flag,
    out_bytes: count,
    err_bytes: count,
    last_write_ms: count,
    now_ms: count,
  }),
]);

export type RunStatus =
  | { folder: false }
  | {
      folder: true;
      pgid: number | null;
      /** The CLI's wait status as the shell reports it (130 = SIGINT), once it has ended. */
      exit: number | null;
      orphaned: boolean;
      alive: boolean;
      outBytes: number;
      errBytes: number;
      /** Newest write to the output files, epoch ms by the target's clock (0: none yet). */
      lastWriteMs: number;
      nowMs: number;
    };

export type RunStatusResult =
  { success: true; data: RunStatus } | { success: false; error: string };

/** Reads statusScript's output; anything else is an error value naming what was wrong. */
export function parseRunStatus(stdout: string): RunStatusResult {
  const fields: Record<string, string> = {};
  for (const line of stdout.split("\n")) {
    if (line === "") continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return { success: false, error: `not a status line: ${JSON.stringify(line)}` };
    fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const parsed = linesSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      success: false,
      error: `bad run status: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "?"}`,
    };
  }
  const s = parsed.data;
  if (s.folder === "0") return { success: true, data: { folder: false } };
  return {
    success: true,
    data: {
      folder: true,
      pgid: s.pgid ?? null,
      exit: s.exit ?? null,
      orphaned: s.orphaned ?? false,
      alive: s.alive,
      outBytes: s.out_bytes,
      errBytes: s.err_bytes,
      lastWriteMs: s.last_write_ms,
      nowMs: s.now_ms,
    },
  };
}
