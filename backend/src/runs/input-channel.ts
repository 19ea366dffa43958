// Keeps a channel to the run's input relay on the target: the launch channel first, an input
// script's channel after the link dropped (or after an attach). Lines written meanwhile wait in
// the RelayInput and go out, in order, once a channel is up; so do the lines the dropped channel's
// relay had not confirmed (INPUT_ACK): written in the instant before a drop was noticed, they may
// never have arrived.
import type { Clock } from "../clock.js";
import type { ExecChild, Executor } from "../exec/executor.js";
import { INPUT_ACK, type RelayInput } from "./run-input.js";

export interface InputChannel {
  /** This channel relays the input now (the launch channel, once the CLI runs). */
  use(c: ExecChild): void;
  /** Opens an input script's channel unless one is up or the input is closed. */
  reopen(): void;
  /** The link dropped: let go of the channel; lines wait for reopen(). */
  drop(): void;
  /** The run is over or the server lets go: no more channels. */
  close(): void;
}

/** A channel that could not be opened while the link looked up is tried again after this long. */
const REOPEN_RETRY_MS = 2_000;

export function keepInputChannel(opts: {
  executor: Executor;
  clock: Clock;
  input: RelayInput;
  /** The input relay script for this run (built when first needed: it checks the ids). */
  script: () => string;
  /** The link is down: reopening waits for it. */
  linkDown(): boolean;
  /** Lines a dropped channel's relay had not confirmed go again on the next one. */
  resending?(lines: number): void;
}): InputChannel {
  const { input } = opts;
  let relay: ExecChild | null = null;
  let opening = false;
  let closed = false;

  const use = (c: ExecChild) => {
    if (closed) {
      c.detach();
      return;
    }
    relay = c;
    c.stdout.on("data", (chunk: Buffer) => {
      if (relay !== c) return;
      let acks = 0;
      for (const byte of chunk) if (byte === INPUT_ACK) acks++;
      input.acked(acks);
    });
    input.connect(c.stdin);
    void c.exit.then((exit) => {
      if (relay !== c) return;
      relay = null;
      disconnect(exit.lost);
      c.detach();
      // A relay that ended by itself (the CLI is gone) is not replaced; a dropped one is.
      if (exit.lost) reopen();
    });
  };

  const disconnect = (lost: boolean) => {
    const again = input.disconnect(lost);
    if (again > 0) opts.resending?.(again);
  };

  const reopen = () => {
    if (closed || opening || relay !== null || input.closed || opts.linkDown()) return;
    opening = true;
    Promise.resolve()
      .then(() => opts.executor.start(opts.script()))
      .then(use, () => {
        // Unreachable: when the follower sees the link drop, its return calls reopen(); until it
        // does, try again now and then.
        opts.clock.setTimer(REOPEN_RETRY_MS, reopen);
      })
      .finally(() => (opening = false));
  };

  const drop = (lost: boolean) => {
    const c = relay;
    relay = null;
    disconnect(lost);
    c?.detach();
  };

  return {
    use,
    reopen,
    drop: () => drop(true),
    close() {
      closed = true;
      drop(false);
    },
  };
}
