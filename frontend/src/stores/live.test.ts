import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TranscriptEvent } from "@catalyst/shared";
import { makeSocket } from "../socket/make-socket.js";
import { MockWebSocket } from "../socket/mock-websocket.js";
import { connectLive } from "./live.js";
import { createTranscriptStore, type TranscriptStore } from "./transcript.js";
import { ev } from "./fixtures.js";

const frame = (ideaId: string, seq: number, event: TranscriptEvent) =>
  JSON.stringify({ type: "event", ideaId, seq, ts: "2026-01-01T00:00:00Z", runId: "r1", event });

function setup() {
  const stores = new Map<string, TranscriptStore>();
  const changed: string[] = [];
  const errors: string[] = [];
  const socket = makeSocket("ws://x/api/ws", { WebSocket: MockWebSocket, backoff: () => 0 });
  const pending: (() => void)[] = [];
  const live = connectLive(
    socket,
    {
      transcript: (id) => stores.get(id),
      ideaChanged: (id, deleted) => changed.push(`${id}:${deleted}`),
      error: (msg) => errors.push(msg),
    },
    (fn) => pending.push(fn),
  );
  const runScheduled = () => pending.splice(0).forEach((fn) => fn());
  return { stores, changed, errors, socket, live, runScheduled };
}

const sentOf = (ws: MockWebSocket) => ws.sent.map((s) => JSON.parse(s) as unknown);

describe("connectLive", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    MockWebSocket.reset();
  });
  afterEach(() => vi.useRealTimers());

  it("subscribes from the transcript's last seq and applies events in one batch", () => {
    const { stores, live, runScheduled } = setup();
    const t = createTranscriptStore();
    stores.set("idea1", t);
    live.subscribe("idea1");
    const ws = MockWebSocket.last();
    ws.serverOpen();
    expect(sentOf(ws)).toEqual([{ type: "subscribe", ideaId: "idea1", after: 0 }]);
    ws.serverSend(frame("idea1", 1, ev.started("r1", "hi")));
    ws.serverSend(frame("idea1", 2, ev.delta("m1", "Hel")));
    ws.serverSend(frame("idea1", 3, ev.delta("m1", "lo")));
    expect(t.eventCount()).toBe(0);
    runScheduled();
    expect(t.eventCount()).toBe(3);
  });

  it("after a drop, resubscribes with after = last seen seq and shows replayed events once", () => {
    const { stores, live, runScheduled } = setup();
    const t = createTranscriptStore();
    stores.set("idea1", t);
    live.subscribe("idea1");
    const first = MockWebSocket.last();
    first.serverOpen();
    first.serverSend(frame("idea1", 1, ev.started("r1", "hi")));
    first.serverSend(frame("idea1", 2, ev.delta("m1", "a")));
    first.serverClose();
    runScheduled();
    vi.advanceTimersByTime(0);
    {
      const second = MockWebSocket.last();
      expect(second).not.toBe(first);
      second.serverOpen();
      expect(sentOf(second)).toEqual([{ type: "subscribe", ideaId: "idea1", after: 2 }]);
      // A server replaying a little too much must still not double anything.
      second.serverSend(frame("idea1", 2, ev.delta("m1", "a")));
      second.serverSend(frame("idea1", 3, ev.delta("m1", "b")));
      runScheduled();
      const text = t.items().find((i) => i.kind === "text");
      expect(text?.kind === "text" && text.text()).toBe("ab");
      expect(t.lastSeq()).toBe(3);
    }
  });

  it("puts an idea's server error into its chat in plain words", () => {
    const { stores, live } = setup();
    const t = createTranscriptStore();
    stores.set("idea1", t);
    live.subscribe("idea1");
    const ws = MockWebSocket.last();
    ws.serverOpen();
    ws.serverSend(
      JSON.stringify({ type: "error", ideaId: "idea1", code: "busy", message: "run active" }),
    );
    const last = t.items().at(-1);
    expect(last?.kind === "error" && last.message).toMatch(/already working on this idea/);
  });

  it("passes idea changes and general errors on, and ignores frames it cannot read", () => {
    const { changed, errors } = setup();
    const ws = MockWebSocket.last();
    ws.serverOpen();
    ws.serverSend("not json");
    ws.serverSend(JSON.stringify({ type: "mystery" }));
    ws.serverSend(JSON.stringify({ type: "idea_changed", ideaId: "x", deleted: true }));
    ws.serverSend(JSON.stringify({ type: "error", code: "bad_request", message: "bad frame" }));
    expect(changed).toEqual(["x:true"]);
    expect(errors).toEqual(["bad frame"]);
  });

  it("unsubscribes and drops later events for that idea", () => {
    const { stores, live, runScheduled } = setup();
    const t = createTranscriptStore();
    stores.set("idea1", t);
    const off = live.subscribe("idea1");
    const ws = MockWebSocket.last();
    ws.serverOpen();
    off();
    ws.serverSend(frame("idea1", 1, ev.started("r1", "hi")));
    runScheduled();
    expect(t.eventCount()).toBe(0);
    expect(sentOf(ws).at(-1)).toEqual({ type: "unsubscribe", ideaId: "idea1" });
  });
});
