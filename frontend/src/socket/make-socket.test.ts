import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { makeSocket } from "./make-socket.js";
import { MockWebSocket } from "./mock-websocket.js";

const opts = { WebSocket: MockWebSocket, backoff: (n: number) => 1000 * 2 ** n };

describe("makeSocket", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    MockWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it("queues frames while connecting and flushes them after onOpen handlers ran", () => {
    const s = makeSocket("ws://x/api/ws", opts);
    const order: string[] = [];
    s.onOpen(() => {
      order.push("open");
      s.send("resubscribe");
    });
    s.send("queued");
    expect(MockWebSocket.last().sent).toEqual([]);
    MockWebSocket.last().serverOpen();
    expect(order).toEqual(["open"]);
    expect(MockWebSocket.last().sent).toEqual(["resubscribe", "queued"]);
  });

  it("delivers text frames to every listener", () => {
    const s = makeSocket("ws://x", opts);
    const got: string[] = [];
    s.onMessage((d) => got.push(`a:${d}`));
    const off = s.onMessage((d) => got.push(`b:${d}`));
    MockWebSocket.last().serverOpen();
    MockWebSocket.last().serverSend("1");
    off();
    MockWebSocket.last().serverSend("2");
    expect(got).toEqual(["a:1", "b:1", "a:2"]);
  });

  it("reconnects with growing backoff and resets it after a successful open", () => {
    const s = makeSocket("ws://x", opts);
    const states: string[] = [];
    s.onState((st, attempt) => states.push(`${st}${attempt}`));
    MockWebSocket.last().serverClose();
    expect(MockWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(MockWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(MockWebSocket.instances).toHaveLength(2);
    MockWebSocket.last().serverClose();
    vi.advanceTimersByTime(1999);
    expect(MockWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(MockWebSocket.instances).toHaveLength(3);
    MockWebSocket.last().serverOpen();
    MockWebSocket.last().serverClose();
    vi.advanceTimersByTime(1000);
    expect(MockWebSocket.instances).toHaveLength(4);
    expect(states).toEqual([
      "closed0",
      "connecting1",
      "closed1",
      "connecting2",
      "open0",
      "closed0",
      "connecting1",
    ]);
  });

  it("runs onOpen again on every reconnection so subscriptions are restored", () => {
    const s = makeSocket("ws://x", opts);
    let opens = 0;
    s.onOpen(() => opens++);
    MockWebSocket.last().serverOpen();
    MockWebSocket.last().serverClose();
    vi.advanceTimersByTime(1000);
    MockWebSocket.last().serverOpen();
    expect(opens).toBe(2);
  });

  it("reconnectNow skips the remaining backoff", () => {
    const s = makeSocket("ws://x", opts);
    MockWebSocket.last().serverClose();
    s.reconnectNow();
    expect(MockWebSocket.instances).toHaveLength(2);
    // The pending timer was cancelled: no third socket appears when it would have fired.
    vi.advanceTimersByTime(5000);
    expect(MockWebSocket.instances).toHaveLength(2);
  });

  it("closes a connection that stays silent past idleTimeoutMs, then reconnects", () => {
    makeSocket("ws://x", { ...opts, idleTimeoutMs: 10_000 });
    const first = MockWebSocket.last();
    first.serverOpen();
    vi.advanceTimersByTime(9000);
    first.serverSend("still here");
    vi.advanceTimersByTime(9000);
    expect(first.closedWith).toBeNull();
    vi.advanceTimersByTime(1000);
    expect(first.closedWith?.code).toBe(4000);
    vi.advanceTimersByTime(1000);
    expect(MockWebSocket.instances).toHaveLength(2);
  });

  it("stops for good after close() and bounds the queue", () => {
    const s = makeSocket("ws://x", { ...opts, maxQueue: 2 });
    s.send("a");
    s.send("b");
    s.send("c");
    s.close();
    expect(s.state()).toBe("closed");
    vi.advanceTimersByTime(60_000);
    expect(MockWebSocket.instances).toHaveLength(1);
    const t = makeSocket("ws://y", { ...opts, maxQueue: 2 });
    t.send("a");
    t.send("b");
    t.send("c");
    MockWebSocket.last().serverOpen();
    expect(MockWebSocket.last().sent).toEqual(["b", "c"]);
  });
});
