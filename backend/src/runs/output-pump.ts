// A run's output pump: decodes the bytes of the run's output files (out.ndjson, err.log) into
// events on the run's queue, each with its OutputSource, keeps the stderr tail and the CLI's own
// error, and asks the reader to pause while the queue's reader falls behind.
import type { ClaudeEvent } from "@catalyst/shared";
import { createStderrDecoder, createStreamDecoder } from "../stream/index.js";
import type { EventQueue } from "./event-queue.js";
import { resultFailure } from "./outcome.js";
import type { OutputSource, ResumePoint, RunOutput } from "./runner.js";
import { createSourcedDecoder, type SourcedEvent } from "./sourced-decoder.js";

/** Pause the output source when this many events wait for the reader. */
const HIGH_WATER = 2048;
const STDERR_TAIL_LINES = 20;
/** A stderr tail line is cut to this many characters: it travels in run_finished. */
const STDERR_TAIL_CHARS = 2000;
/** Longer stderr lines become a line_too_long notice instead of being held in memory. */
const STDERR_MAX_LINE_BYTES = 1024 * 1024;

export type OutputStream = OutputSource["stream"];

export interface OutputHooks {
  /** Output arrived (the inactivity timeout counts from here). */
  activity(): void;
  /** Handling a chunk threw: a bug of ours. */
  internalError(err: unknown): void;
  /** Each decoded stdout event, once queued (the live session's control protocol reads them). */
  decoded(event: ClaudeEvent): void;
  /** The queue's reader fell behind: stop reading until the queue drains. */
  pause(): void;
}

export interface OutputPump {
  /** Bytes of one output file, in order, from where the pump's `from` said. */
  push(stream: OutputStream, chunk: Buffer): void;
  /** Events that come from no output file (what the launch channel said before the CLI started). */
  emitUnsourced(events: ClaudeEvent[]): void;
  /** After the files ended: emits what the decoders still hold (a last line without newline). */
  end(): void;
  /** Bytes received of each file: where reading goes on after a dropped link. */
  received(): { out: number; err: number };
  sourceOf(event: RunOutput): OutputSource | null;
  /** The last stderr lines (cut), for run_finished. */
  readonly stderrTail: readonly string[];
  /** The first line of the CLI's error result, if it wrote one. */
  readonly failure: string | null;
}

export function createOutputPump(
  queue: EventQueue<RunOutput>,
  hooks: OutputHooks,
  from: { out: ResumePoint; err: ResumePoint } = {
    out: { offset: 0, skip: 0 },
    err: { offset: 0, skip: 0 },
  },
): OutputPump {
  const stderrTail: string[] = [];
  let failure: string | null = null;
  const sources = new WeakMap<RunOutput, OutputSource>();
  const decoders = {
    out: createSourcedDecoder("out", createStreamDecoder(), from.out),
    err: createSourcedDecoder(
      "err",
      createStderrDecoder({ maxLineBytes: STDERR_MAX_LINE_BYTES }),
      from.err,
    ),
  };

  // After an attach the reader starts again at the line the transcript stops in: those bytes
  // were written before (the run folder's last write says when), so they are not new output and
  // must not restart the inactivity timeout.
  const rereading = { out: from.out.skip > 0, err: from.err.skip > 0 };
  const isNew = (stream: OutputStream, chunk: Buffer): boolean => {
    if (!rereading[stream]) return true;
    const nl = chunk.indexOf(10);
    if (nl === -1) return false;
    rereading[stream] = false;
    return nl + 1 < chunk.length;
  };

  const emitOne = (e: ClaudeEvent) => {
    if (e.type === "result" && e.isError) {
      // The real CLI reports model errors (500, bad key) here, with an empty stderr.
      failure = resultFailure(e);
    }
    if (e.type === "stderr") {
      stderrTail.push(
        e.text.length > STDERR_TAIL_CHARS ? `${e.text.slice(0, STDERR_TAIL_CHARS)}…` : e.text,
      );
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    }
    // A live session's later turn that succeeds makes an earlier error result history.
    if (e.type === "result" && !e.isError) failure = null;
    queue.push(e);
    if (e.type !== "stderr") hooks.decoded(e);
  };
  const emit = (events: SourcedEvent[]) => {
    for (const { event, source, known } of events) {
      // Already in the transcript: not again. A result still counts for the live session, which
      // closes the input once every message has one (the server may have stopped just before).
      if (known) {
        if (event.type === "result") hooks.decoded(event);
        continue;
      }
      sources.set(event, source);
      emitOne(event);
    }
    if (queue.size > HIGH_WATER) hooks.pause();
  };

  return {
    push(stream, chunk) {
      // A throw here would be an uncaught exception in a stream listener: the server would end.
      try {
        if (isNew(stream, chunk)) hooks.activity();
        emit(decoders[stream].push(chunk));
      } catch (err) {
        hooks.internalError(err);
      }
    },
    emitUnsourced(events) {
      for (const e of events) emitOne(e);
    },
    end() {
      emit(decoders.out.end());
      emit(decoders.err.end());
    },
    received: () => ({ out: decoders.out.received, err: decoders.err.received }),
    sourceOf: (event) => sources.get(event) ?? null,
    stderrTail,
    get failure() {
      return failure;
    },
  };
}
