// Keeps a channel to the run's input relay on the target: the launch channel first, an input
// script's channel after the link dropped (or after an attach). Lines written meanwhile wait in
// the RelayInput and go out, in order, once a channel is up.
import type { Clock } from "../clock.js";
import type { ExecChild, Executor } from "../exec/executor.js";
import type { RelayInput } from "./run-input.js";

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
    input.connect(c.stdin);
    void c.exit.then((exit) => {
      if (relay !== c) return;
      relay = null;
      input.disconnect();
      c.detach();
      // A relay that ended by itself (the CLI is gone) is not replaced; a dropped one is.
      if (exit.lost) reopen();
    });
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

  const drop = () => {
    const c = relay;
    relay = null;
    input.disconnect();
    c?.detach();
  };

  return {
    use,
    reopen,
    drop,
    close() {
      closed = true;
      drop();
    },
  };
}
