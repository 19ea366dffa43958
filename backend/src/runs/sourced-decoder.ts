// One output file's bytes -> events, each with where its line starts in the file (OutputSource):
// what lets a reader that stopped anywhere resume at a line boundary and never repeat an event.
import type { ClaudeEvent } from "@catalyst/shared";
import type { EventDecoder } from "../stream/index.js";
import type { OutputSource, ResumePoint } from "./runner.js";

export interface SourcedEvent {
  event: ClaudeEvent;
  source: OutputSource;
  /** One of the first line's events the transcript already holds (`from.skip`). */
  known?: true;
}

export interface SourcedDecoder {
  /** Events of the lines this chunk completes, each with its source. */
  push(chunk: Buffer): SourcedEvent[];
  /** A last line without a newline (the file ended mid-line). */
  end(): SourcedEvent[];
  /** Bytes of the file received so far (where a new read must start to miss nothing). */
  readonly received: number;
}

/**
 * `from`: the file is read from `from.offset` (a line's first byte), and that first line's first
 * `from.skip` events are already known (a transcript holds them): they come marked `known`. Each complete line
 * goes to the decoder on its own, so its events are known to be its own; the decoder keeps its
 * state across lines (a line cut between two reads is completed by the next chunk).
 */
export function createSourcedDecoder(
  stream: OutputSource["stream"],
  decoder: EventDecoder,
  from: ResumePoint,
): SourcedDecoder {
  let lineStart = from.offset;
  let received = from.offset;
  let skipFirst = from.skip;

  /** `complete`: the line ended with these events (the skip is used up). */
  const label = (events: ClaudeEvent[], line: number, out: SourcedEvent[], complete: boolean) => {
    const skip = line === from.offset ? skipFirst : 0;
    if (complete) skipFirst = 0;
    events.forEach((event, index) => {
      const source = { stream, line, index };
      out.push(index < skip ? { event, source, known: true } : { event, source });
    });
  };

  return {
    push(chunk) {
      const out: SourcedEvent[] = [];
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        if (nl === -1) break;
        const events = decoder.push(chunk.subarray(start, nl + 1));
        received += nl + 1 - start;
        label(events, lineStart, out, true);
        lineStart = received;
        start = nl + 1;
      }
      if (start < chunk.length) {
        // Part of a line: the decoder holds it until its newline comes.
        label(decoder.push(chunk.subarray(start)), lineStart, out, false);
        received += chunk.length - start;
      }
      return out;
    },
    end() {
      const out: SourcedEvent[] = [];
      label(decoder.end(), lineStart, out, true);
      return out;
    },
    get received() {
      return received;
    },
  };
}
