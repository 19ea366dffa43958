// Bytes in any chunk sizes -> complete lines as bytes, linear in the input, with a bounded line size.

/** What the splitter hands on: a complete line (without `\n` / `\r\n`), or a line that was too long. */
export interface LineSink {
  line(bytes: Buffer): void;
  tooLong(bytes: number): void;
}

export interface LineSplitter {
  push(chunk: Uint8Array): void;
  /** Delivers a final line that had no newline. */
  end(): void;
  /** Bytes held for the unfinished line (at most the limit + 1): what memory it costs. */
  heldBytes(): number;
}

export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

const NL = 0x0a;
const CR = 0x0d;

/**
 * Never decodes bytes: a multi-byte character split across chunks stays whole because lines are
 * cut only at `\n` bytes, which never occur inside a UTF-8 sequence. Pending bytes of an unfinished
 * line are kept as a list of chunks and joined once when the line ends, and only new bytes are
 * scanned, so a 16 MiB line in 1 KiB chunks costs one pass, not 16k rescans.
 * Chunks are referenced, not copied: callers must not reuse a buffer after pushing it (Node streams
 * and ssh2 never do).
 */
export function createLineSplitter(
  sink: LineSink,
  opts: { maxLineBytes?: number } = {},
): LineSplitter {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  // Once a line is over the limit its bytes are counted, not kept, until the next newline.
  let dropping = false;
  let pendingEndsWithCr = false;

  function emit(line: Buffer): void {
    let len = line.length;
    if (len > 0 && line[len - 1] === CR) len--;
    if (len === 0) return;
    sink.line(len === line.length ? line : line.subarray(0, len));
  }

  function finishLine(tail: Buffer): void {
    const total = pendingBytes + tail.length;
    if (dropping || total > max) {
      // A `\r` before the newline belongs to the line end, not to the line.
      const endsWithCr = tail.length > 0 ? tail[tail.length - 1] === CR : pendingEndsWithCr;
      const size = endsWithCr ? total - 1 : total;
      if (size > max) sink.tooLong(size);
      else emit(joinPending(tail));
    } else if (pending.length === 0) {
      emit(tail);
    } else {
      emit(joinPending(tail));
    }
    pending = [];
    pendingBytes = 0;
    pendingEndsWithCr = false;
    dropping = false;
  }

  function joinPending(tail: Buffer): Buffer {
    if (tail.length > 0) pending.push(tail);
    return pending.length === 1
      ? (pending[0] as Buffer)
      : Buffer.concat(pending, pendingBytes + tail.length);
  }

  function keep(rest: Buffer): void {
    pendingBytes += rest.length;
    pendingEndsWithCr = rest[rest.length - 1] === CR;
    if (dropping) return;
    if (pendingBytes > max + 1) {
      // +1: the last byte may be a `\r` that belongs to the line end.
      dropping = true;
      pending = [];
      return;
    }
    pending.push(rest);
  }

  return {
    push(chunk) {
      const buf = Buffer.isBuffer(chunk)
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(NL, start);
        if (nl === -1) break;
        finishLine(buf.subarray(start, nl));
        start = nl + 1;
      }
      if (start < buf.length) keep(buf.subarray(start));
    },
    end() {
      if (pendingBytes > 0) finishLine(Buffer.alloc(0));
    },
    heldBytes() {
      return dropping ? 0 : pendingBytes;
    },
  };
}
