// An idea's transcript file: one TranscriptEntry per line, parsed with zod, tolerant of a torn last line.
import { transcriptEntrySchema, type TranscriptEntry } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { FsPort } from "../fs/fs-port.js";

/** Lines are written with `seq` first, so a replay can skip old lines without parsing them. */
const SEQ_PREFIX = /^\{"seq":(\d+),/;

export function parseTranscript(
  text: string,
  logger: Logger,
  path: string,
  after = 0,
): { entries: TranscriptEntry[]; lastSeq: number } {
  const entries: TranscriptEntry[] = [];
  let lastSeq = 0;
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const prefixed = SEQ_PREFIX.exec(line)?.[1];
    if (prefixed !== undefined && Number(prefixed) <= after) {
      lastSeq = Math.max(lastSeq, Number(prefixed));
      continue;
    }
    const entry = parseLine(line);
    if (entry === null) {
      logger.warn("skipping an unreadable transcript line", { path, line: i + 1 });
      continue;
    }
    if (entry.seq > after) entries.push(entry);
    lastSeq = Math.max(lastSeq, entry.seq);
  }
  return { entries, lastSeq };
}

function parseLine(line: string): TranscriptEntry | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = transcriptEntrySchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Where a seq's line starts in the transcript file, kept for every CHECKPOINT_EVERY-th seq. */
export interface Checkpoint {
  seq: number;
  offset: number;
}

export const CHECKPOINT_EVERY = 256;

/** Checkpoints of whole lines in `text` (which starts at byte `base` of the file). */
export function checkpointsOf(text: string, base = 0): Checkpoint[] {
  const out: Checkpoint[] = [];
  let offset = base;
  for (const line of text.split("\n")) {
    const seq = Number(SEQ_PREFIX.exec(line)?.[1]);
    if (seq % CHECKPOINT_EVERY === 1) out.push({ seq, offset });
    offset += Buffer.byteLength(line, "utf8") + 1;
  }
  return out;
}

/** The offset to read from so that the line of seq `after + 1` (and all later ones) is included. */
export function offsetFor(checkpoints: readonly Checkpoint[], after: number): number {
  let lo = 0;
  let hi = checkpoints.length - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const cp = checkpoints[mid];
    if (cp === undefined) break;
    if (cp.seq <= after + 1) {
      best = cp.offset;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/**
 * Reads the transcript after a restart: a crash in the middle of an append leaves a line with no
 * newline, which is cut off so the next append starts on a clean line. Returns the last seq.
 */
export async function recoverTranscript(
  fs: FsPort,
  path: string,
  logger: Logger,
): Promise<{ lastSeq: number; bytes: number; checkpoints: Checkpoint[] }> {
  const text = await fs.readFile(path);
  if (text === null || text === "") return { lastSeq: 0, bytes: 0, checkpoints: [] };
  let kept = text;
  if (!text.endsWith("\n")) {
    kept = text.slice(0, text.lastIndexOf("\n") + 1);
    await fs.truncate(path, Buffer.byteLength(kept, "utf8"));
    logger.warn("cut a torn last line off a transcript", {
      path,
      bytes: Buffer.byteLength(text, "utf8") - Buffer.byteLength(kept, "utf8"),
    });
  }
  return {
    lastSeq: parseTranscript(kept, logger, path).lastSeq,
    bytes: Buffer.byteLength(kept, "utf8"),
    checkpoints: checkpointsOf(kept),
  };
}
