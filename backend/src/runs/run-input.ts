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
