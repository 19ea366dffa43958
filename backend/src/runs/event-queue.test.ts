import { describe, expect, it } from "vitest";
import { createEventQueue } from "./event-queue.js";

describe("createEventQueue", () => {
  it("yields pushed items in order, also those pushed while the reader waits, then ends", async () => {
    const q = createEventQueue<number>();
    q.push(1);
    const read = (async () => {
      const got: number[] = [];
      for await (const n of q) got.push(n);
      return got;
    })();
    // Let the reader take 1 and wait for more.
    await new Promise((r) => setImmediate(r));
    q.push(2);
    q.push(3);
    q.end();
    q.push(4);
    expect(await read).toEqual([1, 2, 3]);
  });

  it("tells the source to resume once the reader drains the backlog to the low-water mark", async () => {
    let drained = 0;
    const q = createEventQueue<number>({ lowWater: 2, onDrained: () => drained++ });
    for (let i = 0; i < 5; i++) q.push(i);
    q.end();
    const got: number[] = [];
    for await (const n of q) got.push(n);
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(drained).toBe(1);
  });
});
