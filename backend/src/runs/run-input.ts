// The way into a running CLI: NDJSON lines to its stdin. A seam, so another transport (a FIFO on
// the target, for runs that outlive a connection) can stand in without touching the protocol.
import type { Writable } from "node:stream";

/** The byte an input relay writes on its stdout for each line it put into the run's input. */
export const INPUT_ACK = 0x06;

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
  /** The relay confirmed this many more lines (one INPUT_ACK byte each, in order). */
  acked(count: number): void;
  /**
   * The channel dropped: lines wait for the next connect. `lost`: the link went down, so the
   * lines the relay had not confirmed may never have arrived: they go again on the next channel
   * (first, in order). Returns how many.
   */
  disconnect(lost?: boolean): number;
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
  /**
   * Written on the current channel, not yet confirmed by the relay: a write to a channel whose
   * link died before anyone noticed succeeds here and reaches nobody.
   */
  let unconfirmed: string[] = [];

  const flush = () => {
    const s = stdin;
    if (s === null || s.destroyed) return;
    // Counted before the write: a confirmation may come back within it.
    for (const line of queued.splice(0)) {
      unconfirmed.push(line);
      s.write(`${line}\n`);
    }
    if (ended && !closed) {
      closed = true;
      unconfirmed.push(endLine);
      s.write(`${endLine}\n`);
      s.end();
    }
  };

  return {
    connect(s) {
      stdin = s;
      unconfirmed = [];
      // A dropped channel fails its writes: the next one takes the lines written from then on.
      s.on("error", () => {
        if (stdin === s) stdin = null;
      });
      flush();
    },
    acked(count) {
      unconfirmed.splice(0, count);
    },
    disconnect(lost = false) {
      stdin = null;
      const again = lost ? unconfirmed : [];
      unconfirmed = [];
      const count = again.length;
      if (again.at(-1) === endLine) {
        // The end line may not have arrived either: it goes again too (after the others).
        again.pop();
        closed = false;
      }
      queued.unshift(...again);
      return count;
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
