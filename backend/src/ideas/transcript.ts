// An idea's transcript file: one TranscriptEntry per line, parsed with zod, tolerant of a torn last line.
import { transcriptEntrySchema, type TranscriptEntry } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { FsPort } from "./fs-port.js";

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

/**
 * Reads the transcript after a restart: a crash in the middle of an append leaves a line with no
 * newline, which is cut off so the next append starts on a clean line. Returns the last seq.
 */
export async function recoverTranscript(fs: FsPort, path: string, logger: Logger): Promise<number> {
  const text = await fs.readFile(path);
  if (text === null || text === "") return 0;
  let kept = text;
  if (!text.endsWith("\n")) {
    kept = text.slice(0, text.lastIndexOf("\n") + 1);
    await fs.truncate(path, Buffer.byteLength(kept, "utf8"));
    logger.warn("cut a torn last line off a transcript", {
      path,
      bytes: Buffer.byteLength(text, "utf8") - Buffer.byteLength(kept, "utf8"),
    });
  }
  return parseTranscript(kept, logger, path).lastSeq;
}
