// A push-to-pull queue: the runner pushes events as output arrives, one reader iterates them.

export interface EventQueue<T> extends AsyncIterable<T> {
  push(item: T): void;
  end(): void;
  /** Items waiting to be read. */
  readonly size: number;
}

/**
 * `onDrained` fires when the reader brings the backlog down to `lowWater`, so a paused source can
 * resume. Items must not be `undefined`.
 */
export function createEventQueue<T>(
  opts: { lowWater?: number; onDrained?: () => void } = {},
): EventQueue<T> {
  // Two stacks make a queue with O(1) amortised push and take, whatever the backlog.
  let inbox: T[] = [];
  let outbox: T[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  const lowWater = opts.lowWater ?? 256;

  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  return {
    push(item) {
      if (ended) return;
      inbox.push(item);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    get size() {
      return inbox.length + outbox.length;
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (outbox.length === 0 && inbox.length > 0) {
          outbox = inbox.reverse();
          inbox = [];
        }
        const item = outbox.pop();
        if (item !== undefined) {
          if (inbox.length + outbox.length === lowWater) opts.onDrained?.();
          yield item;
          continue;
        }
        if (ended) return;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}
