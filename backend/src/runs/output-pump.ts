// A run's output pump: decodes the child's stdout and stderr into events on the run's queue,
// strips the wrapper's prelude, keeps the stderr tail and the CLI's own error, and pauses the
// child while the reader falls behind.
import type { ClaudeEvent } from "@catalyst/shared";
import type { ExecChild } from "../exec/executor.js";
import { createStderrDecoder, createStreamDecoder } from "../stream/index.js";
import type { EventQueue } from "./event-queue.js";
import { createPreludeFilter, type PreludeHooks } from "./markers.js";
import { resultFailure } from "./outcome.js";
import type { RunOutput } from "./runner.js";

/** Pause the output source when this many events wait for the reader. */
const HIGH_WATER = 2048;
const STDERR_TAIL_LINES = 20;
/** A stderr tail line is cut to this many characters: it travels in run_finished. */
const STDERR_TAIL_CHARS = 2000;
/** Longer stderr lines become a line_too_long notice instead of being held in memory. */
const STDERR_MAX_LINE_BYTES = 1024 * 1024;

export interface OutputHooks extends PreludeHooks {
  /** Output arrived (the inactivity timeout counts from here). */
  activity(): void;
  loginPath(value: string): void;
  /** Handling a chunk threw: a bug of ours. */
  internalError(err: unknown): void;
  /** Each decoded stdout event, once queued (the live session's control protocol reads them). */
  decoded(event: ClaudeEvent): void;
}

export interface OutputPump {
  /** Starts decoding the child's output. */
  attach(c: ExecChild): void;
  /** After EOF: emits what the decoders still hold. */
  end(): void;
  /** The last stderr lines (cut), for run_finished. */
  readonly stderrTail: readonly string[];
  /** The first line of the CLI's error result, if it wrote one. */
  readonly failure: string | null;
}

export function createOutputPump(queue: EventQueue<RunOutput>, hooks: OutputHooks): OutputPump {
  let child: ExecChild | null = null;
  const stderrTail: string[] = [];
  let failure: string | null = null;
  let flush: (() => void) | null = null;

  const emit = (events: ClaudeEvent[]) => {
    for (const e of events) {
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
    }
    if (queue.size > HIGH_WATER) {
      child?.stdout.pause();
      child?.stderr.pause();
    }
  };

  return {
    attach(c) {
      child = c;
      const stdout = createStreamDecoder();
      const stderr = createStderrDecoder({ maxLineBytes: STDERR_MAX_LINE_BYTES });
      const prelude = createPreludeFilter({
        processGroup: (g) => hooks.processGroup(g),
        noCli: () => hooks.noCli(),
        loginPath: (value) => hooks.loginPath(value),
      });
      // A throw inside a stream listener would be an uncaught exception that ends the server.
      const guarded = (fn: (chunk: Buffer) => void) => (chunk: Buffer) => {
        try {
          fn(chunk);
        } catch (err) {
          hooks.internalError(err);
        }
      };
      c.stdout.on(
        "data",
        guarded((chunk) => {
          hooks.activity();
          emit(stdout.push(chunk));
        }),
      );
      c.stderr.on(
        "data",
        guarded((chunk) => {
          hooks.activity();
          const own = prelude.push(chunk);
          if (own.length > 0) emit(stderr.push(own));
        }),
      );
      flush = () => {
        emit(stdout.end());
        const rest = prelude.end();
        if (rest.length > 0) emit(stderr.push(rest));
        emit(stderr.end());
      };
    },
    end() {
      flush?.();
    },
    stderrTail,
    get failure() {
      return failure;
    },
  };
}
