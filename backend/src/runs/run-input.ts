// The way into a running CLI: NDJSON lines to its stdin. A seam, so another transport (a FIFO on
// the target, for runs that outlive a connection) can stand in without touching the protocol.
import type { Writable } from "node:stream";

export interface RunInput {
  /** Writes one line (a newline is added); false once the input has ended. */
  send(line: string): boolean;
  /** Ends the input (EOF): the CLI exits when its turns are done. Idempotent. */
  end(): void;
  readonly ended: boolean;
}

export function stdinInput(stdin: Writable): RunInput {
  let ended = false;
  // A write to a process that already exited fails with EPIPE: its exit tells how the run ended.
  stdin.on("error", () => (ended = true));
  return {
    send(line) {
      if (ended || stdin.destroyed) return false;
      stdin.write(`${line}\n`);
      return true;
    },
    end() {
      if (ended) return;
      ended = true;
      if (!stdin.destroyed) stdin.end();
    },
    get ended() {
      return ended || stdin.destroyed;
    },
  };
}

/** A RunInput whose channel can drop and come back: the channel to the run's input relay. */
export interface RelayInput extends RunInput {
  /** An input channel is up: what was written while none was goes first, in order. */
  connect(stdin: Writable): void;
  /** The channel dropped: lines wait for the next connect. */
  disconnect(): void;
  /** Lines (or the end) wait for a channel. */
  readonly pending: boolean;
  /** The end line went out on a channel: the run takes no more input. */
  readonly closed: boolean;
}

/**
 * Lines for a run's input relay on the target (the FIFO the CLI reads). The channel's EOF does not
 * end the CLI's input (channels come and go): `endLine` does.
 */
export function relayInput(endLine: string): RelayInput {
  let stdin: Writable | null = null;
  let ended = false;
  let closed = false;
  const queued: string[] = [];

  const flush = () => {
    const s = stdin;
    if (s === null || s.destroyed) return;
    for (const line of queued.splice(0)) s.write(`${line}\n`);
    if (ended && !closed) {
      closed = true;
      s.write(`${endLine}\n`);
      s.end();
    }
  };

  return {
    connect(s) {
      stdin = s;
      // A dropped channel fails its writes: the next one takes the lines written from then on.
      s.on("error", () => {
        if (stdin === s) stdin = null;
      });
      flush();
    },
    disconnect() {
      stdin = null;
    },
    send(line) {
      if (ended) return false;
      queued.push(line);
      flush();
      return true;
    },
    end() {
      if (ended) return;
      ended = true;
      flush();
    },
    get ended() {
      return ended;
    },
    get pending() {
      return queued.length > 0 || (ended && !closed);
    },
    get closed() {
      return closed;
    },
  };
}
