// An idea's transcript file, read in bounded chunks: one TranscriptEntry per line, parsed with zod,
// tolerant of unreadable lines and of a torn last line. Memory stays flat in the size of the file
// (only the longest line is ever held whole).
import { transcriptEntrySchema, type TranscriptEntry } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { FsPort } from "../fs/fs-port.js";

/** Lines are written with `seq` first, so a replay can skip old lines without parsing them. */
const SEQ_PREFIX = /^\{"seq":(\d+),/;
/** Enough bytes of a line to read its seq prefix. */
const PREFIX_BYTES = 32;
const NEWLINE = 0x0a;
/** Bytes per read while streaming lines. */
export const CHUNK_BYTES = 1024 * 1024;
/** Bytes per read while looking for line boundaries (a search touches only a few of these). */
const PROBE_BYTES = 64 * 1024;

export function parseLine(line: string): TranscriptEntry | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const parsed = transcriptEntrySchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The seq a line starts with, or null when it does not start like a line this server wrote. */
export function seqPrefix(line: string | Buffer): number | null {
  const head = typeof line === "string" ? line.slice(0, PREFIX_BYTES) : line.toString("latin1");
  const seq = SEQ_PREFIX.exec(head)?.[1];
  return seq === undefined ? null : Number(seq);
}

/**
 * The whole lines (without their newline) in bytes [from, to) of the file, with the offset each
 * starts at; a last line without its newline (one still being written, or torn) is left out.
 */
export async function* readLines(
  fs: FsPort,
  path: string,
  from: number,
  to: number,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<{ line: Buffer; start: number }> {
  let carry: Buffer[] = [];
  let carryStart = from;
  let pos = from;
  while (pos < to) {
    const chunk = await fs.readBytes(path, pos, Math.min(chunkBytes, to - pos));
    if (chunk === null || chunk.length === 0) return;
    let lineStart = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, lineStart);
      if (nl === -1) break;
      const piece = chunk.subarray(lineStart, nl);
      const line = carry.length === 0 ? piece : Buffer.concat([...carry, piece]);
      yield { line, start: carryStart };
      carry = [];
      lineStart = nl + 1;
      carryStart = pos + lineStart;
    }
    if (lineStart < chunk.length) carry.push(Buffer.from(chunk.subarray(lineStart)));
    pos += chunk.length;
  }
}

/** Where the first line starting at or after `pos` (within [pos, end)) begins, or null. */
async function nextLineStart(
  fs: FsPort,
  path: string,
  pos: number,
  end: number,
): Promise<number | null> {
  if (pos === 0) return 0;
  // The line that starts at `pos` is the one after the newline at `pos - 1`.
  for (let at = pos - 1; at < end; at += PROBE_BYTES) {
    const chunk = await fs.readBytes(path, at, Math.min(PROBE_BYTES, end - at));
    if (chunk === null || chunk.length === 0) return null;
    const nl = chunk.indexOf(NEWLINE);
    if (nl !== -1) return at + nl + 1 < end ? at + nl + 1 : null;
  }
  return null;
}

/** Where the line that ends (with its newline) at byte `end` starts. */
async function lineStartBefore(fs: FsPort, path: string, end: number): Promise<number> {
  // `end - 1` is the line's own newline: look before it.
  let at = end - 1;
  while (at > 0) {
    const from = Math.max(0, at - PROBE_BYTES);
    const chunk = await fs.readBytes(path, from, at - from);
    if (chunk === null) return 0;
    const nl = chunk.lastIndexOf(NEWLINE);
    if (nl !== -1) return from + nl + 1;
    at = from;
  }
  return 0;
}

async function prefixAt(fs: FsPort, path: string, start: number): Promise<number | null> {
  const head = await fs.readBytes(path, start, PREFIX_BYTES);
  return head === null ? null : seqPrefix(head);
}

/**
 * A line start in [0, size) from which reading finds every line with seq > `after`, close before
 * the first of them: a binary search over byte offsets (seqs grow along the file), so a replay of
 * the end of a long transcript reads only its end, with no index kept in memory.
 */
export async function offsetAfter(
  fs: FsPort,
  path: string,
  size: number,
  after: number,
): Promise<number> {
  if (after <= 0) return 0;
  let lo = 0;
  let hi = size;
  while (hi - lo > PROBE_BYTES) {
    const mid = lo + Math.floor((hi - lo) / 2);
    // The first line from `mid` on that carries a seq (unreadable lines are stepped over).
    let start = await nextLineStart(fs, path, mid, hi);
    let seq: number | null = null;
    while (start !== null && (seq = await prefixAt(fs, path, start)) === null) {
      start = await nextLineStart(fs, path, start + 1, hi);
    }
    if (start === null || seq === null || seq > after) hi = mid;
    else lo = start;
  }
  return lo;
}

/**
 * The transcript's tail after a restart: a crash in the middle of an append leaves a line with no
 * newline, which is cut off so the next append starts on a clean line. Returns the last seq (of
 * the last line that carries one) and the size; reads only the end of the file.
 */
export async function recoverTranscript(
  fs: FsPort,
  path: string,
  logger: Logger,
): Promise<{ lastSeq: number; bytes: number }> {
  const size = (await fs.size(path)) ?? 0;
  if (size === 0) return { lastSeq: 0, bytes: 0 };
  let end = size;
  const last = await fs.readBytes(path, size - 1, 1);
  if (last?.[0] !== NEWLINE) {
    const torn = await lineStartBefore(fs, path, size + 1);
    await fs.truncate(path, torn);
    logger.warn("cut a torn last line off a transcript", { path, bytes: size - torn });
    end = torn;
  }
  let lineEnd = end;
  while (lineEnd > 0) {
    const start = await lineStartBefore(fs, path, lineEnd);
    const seq = await prefixAt(fs, path, start);
    if (seq !== null) return { lastSeq: seq, bytes: end };
    lineEnd = start;
  }
  return { lastSeq: 0, bytes: end };
}

/** Every readable entry with seq > `after` in the file's first `size` bytes, in file order. */
export async function* readEntries(
  fs: FsPort,
  path: string,
  size: number,
  after: number,
  logger: Logger,
): AsyncGenerator<{ entry: TranscriptEntry; bytes: number }> {
  const from = await offsetAfter(fs, path, size, after);
  for await (const { line, start } of readLines(fs, path, from, size)) {
    const prefixed = seqPrefix(line.subarray(0, PREFIX_BYTES));
    if (prefixed !== null && prefixed <= after) continue;
    const text = line.toString("utf8");
    if (text.trim() === "") continue;
    const entry = parseLine(text);
    if (entry === null) {
      logger.warn("skipping an unreadable transcript line", { path, offset: start });
      continue;
    }
    if (entry.seq > after) yield { entry, bytes: line.length + 1 };
  }
}
