// The CLI's stdout / stderr bytes -> ClaudeEvents: line splitting, JSON parsing, line mapping.
import type { ClaudeEvent } from "@catalyst/shared";
import { decodeLine } from "./decode-line.js";
import { createLineSplitter, DEFAULT_MAX_LINE_BYTES } from "./line-splitter.js";
import { createLineMapper } from "./map-line.js";

export interface EventDecoder {
  /** Events for the lines this chunk completes (often none). Never throws. */
  push(chunk: Uint8Array): ClaudeEvent[];
  /** Events for a final line without a newline. Call once, when the stream ends. */
  end(): ClaudeEvent[];
}

export interface DecoderOptions {
  /** Longer lines become one `stream_error` event and are skipped (default 32 MiB). */
  maxLineBytes?: number;
}

/** Decodes `claude -p --output-format stream-json` stdout. */
export function createStreamDecoder(opts: DecoderOptions = {}): EventDecoder {
  const mapper = createLineMapper();
  return createDecoder(opts, (text, out) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Whitespace-only lines are blank lines; anything else (a banner, a log) is kept as text.
      if (text.trim() !== "") out.push({ type: "invalid_line", parentToolUseId: null, text });
      return;
    }
    mapper.map(value, out);
  });
}

/** Decodes the CLI's stderr: each non-blank line becomes a `stderr` event. */
export function createStderrDecoder(opts: DecoderOptions = {}): EventDecoder {
  return createDecoder(opts, (text, out) => {
    if (text.trim() !== "") out.push({ type: "stderr", parentToolUseId: null, text });
  });
}

function createDecoder(
  opts: DecoderOptions,
  onLine: (text: string, out: ClaudeEvent[]) => void,
): EventDecoder {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let out: ClaudeEvent[] = [];
  const splitter = createLineSplitter(
    {
      // A whole line is decoded at once, so a character split across chunks is never cut.
      line: (bytes) => onLine(decodeLine(bytes), out),
      tooLong: (bytes) =>
        out.push({
          type: "stream_error",
          parentToolUseId: null,
          code: "line_too_long",
          message: `An output line of ${bytes} bytes exceeds the ${max}-byte limit; it was skipped.`,
          bytes,
        }),
    },
    { maxLineBytes: max },
  );
  const take = (): ClaudeEvent[] => {
    const events = out;
    out = [];
    return events;
  };
  return {
    push(chunk) {
      splitter.push(chunk);
      return take();
    },
    end() {
      splitter.end();
      return take();
    },
  };
}
