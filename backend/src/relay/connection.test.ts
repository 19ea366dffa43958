import { serverMessageSchema, type ServerMessage, type TranscriptEvent } from "@catalyst/shared";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import { silentLogger } from "../deps.js";
import { createConnection, type RelaySocket } from "./connection.js";

interface PlainSocket extends RelaySocket {
  sent: ServerMessage[];
  pendingWrites: (() => void)[];
  bufferedAmount: number;
  open: boolean;
  terminated: boolean;
}

/** A socket as a plain object: frames are kept, the queue size is whatever the test says. */
function plainSocket(): PlainSocket {
  const socket: PlainSocket = {
    sent: [],
    pendingWrites: [],
    bufferedAmount: 0,
    open: true,
    terminated: false,
    send(data, onWritten) {
      socket.sent.push(serverMessageSchema.parse(JSON.parse(data)));
      if (onWritten) socket.pendingWrites.push(onWritten);
    },
    isOpen: () => socket.open,
    terminate() {
      socket.terminated = true;
      socket.open = false;
    },
  };
  return socket;
}

const note = (message: string): TranscriptEvent => ({
  type: "notice",
  level: "info",
  kind: "t",
  message,
});
const seqs = (sent: ServerMessage[]) => sent.flatMap((m) => (m.type === "event" ? [m.seq] : []));

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.cleanup();
});

function connection(socket: RelaySocket, maxBufferedBytes = 1000) {
  const { store, runs, hub } = h.catalyst;
  return createConnection(socket, { store, runs, hub, logger: silentLogger }, { maxBufferedBytes });
}

describe("connection", () => {
  it("replays what is after `after`, then says subscribed, then relays live entries once each", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    for (let i = 1; i <= 5; i++) await store.append(idea.id, null, note(`${i}`));
    const socket = plainSocket();
    const conn = connection(socket);
    conn.receive(JSON.stringify({ type: "subscribe", ideaId: idea.id, after: 2 }));
    // Appended while the replay reads the file: must arrive once, in order.
    const during = store.append(idea.id, null, note("6"));
    await during;
    await expect.poll(() => socket.sent.some((m) => m.type === "subscribed")).toBe(true);
    await store.append(idea.id, null, note("7"));
    expect(seqs(socket.sent)).toEqual([3, 4, 5, 6, 7]);
    // Entry 6 may land in the replay or right after `subscribed`; lastSeq says which.
    const at = socket.sent.findIndex((m) => m.type === "subscribed");
    expect(socket.sent[at]).toEqual({
      type: "subscribed",
      ideaId: idea.id,
      lastSeq: seqs(socket.sent.slice(0, at)).at(-1),
    });
    conn.close();
    await store.append(idea.id, null, note("8"));
    expect(seqs(socket.sent)).toEqual([3, 4, 5, 6, 7]);
  });

  it("drops a live viewer whose queue is past the limit, and sends it nothing more", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    const socket = plainSocket();
    connection(socket).receive(JSON.stringify({ type: "subscribe", ideaId: idea.id }));
    await expect.poll(() => socket.sent.length).toBe(1);
    await store.append(idea.id, null, note("a"));
    socket.bufferedAmount = 5000;
    await store.append(idea.id, null, note("b"));
    expect(socket.terminated).toBe(true);
    expect(seqs(socket.sent)).toEqual([1]);
  });

  it("paces a long replay: waits for the frame to be written once the queue is half full", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    for (let i = 1; i <= 3; i++) await store.append(idea.id, null, note(`${i}`));
    const socket = plainSocket();
    socket.bufferedAmount = 600; // over half of 1000, under the limit
    connection(socket).receive(JSON.stringify({ type: "subscribe", ideaId: idea.id }));
    await expect.poll(() => socket.pendingWrites.length).toBe(1);
    expect(seqs(socket.sent)).toEqual([1]);
    socket.bufferedAmount = 0;
    socket.pendingWrites.shift()?.();
    await expect.poll(() => socket.sent.some((m) => m.type === "subscribed")).toBe(true);
    expect(seqs(socket.sent)).toEqual([1, 2, 3]);
    expect(socket.terminated).toBe(false);
  });

  it("drops a viewer whose replay falls more than 10,000 live entries behind", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    await store.append(idea.id, null, note("old"));
    const socket = plainSocket();
    socket.bufferedAmount = 600; // the replay waits for its first frame to be written, forever
    connection(socket).receive(JSON.stringify({ type: "subscribe", ideaId: idea.id }));
    await expect.poll(() => socket.pendingWrites.length).toBe(1);
    await Promise.all(
      Array.from({ length: 10_001 }, (_, i) => store.append(idea.id, null, note(`${i}`))),
    );
    expect(socket.terminated).toBe(true);
  });

  it("resubscribing restarts from the new `after` without doubling live entries", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    await store.append(idea.id, null, note("1"));
    const socket = plainSocket();
    const conn = connection(socket);
    conn.receive(JSON.stringify({ type: "subscribe", ideaId: idea.id }));
    await expect.poll(() => socket.sent.filter((m) => m.type === "subscribed").length).toBe(1);
    conn.receive(JSON.stringify({ type: "subscribe", ideaId: idea.id, after: 0 }));
    await expect.poll(() => socket.sent.filter((m) => m.type === "subscribed").length).toBe(2);
    await store.append(idea.id, null, note("2"));
    expect(seqs(socket.sent)).toEqual([1, 1, 2]);
  });

  it("does not count one large frame still being written as slowness, but drops a viewer whose queue grows beyond it", async () => {
    const { store } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    const socket = plainSocket();
    // Nothing is ever written out: the queue is the sum of what was sent.
    const send = socket.send.bind(socket);
    socket.send = (data, onWritten) => {
      socket.bufferedAmount += Buffer.byteLength(data);
      send(data, onWritten);
    };
    const conn = connection(socket, 1000);
    conn.receive(JSON.stringify({ type: "subscribe", ideaId: idea.id }));
    await expect.poll(() => socket.sent.some((m) => m.type === "subscribed")).toBe(true);
    await store.append(idea.id, null, note("x".repeat(5000)));
    await store.append(idea.id, null, note("small"));
    expect(socket.terminated).toBe(false);
    expect(seqs(socket.sent)).toEqual([1, 2]);
    // A second large frame: now what waits behind the first is far past the limit.
    await store.append(idea.id, null, note("y".repeat(5000)));
    await store.append(idea.id, null, note("small again"));
    expect(socket.terminated).toBe(true);
    expect(seqs(socket.sent)).toEqual([1, 2, 3]);
  });

  it("reads the transcript once for a burst of subscribes, for the last one, which alone is answered", async () => {
    const { store, runs, hub } = h.catalyst;
    const idea = await store.create({ title: "t", description: "" });
    for (let i = 1; i <= 60; i++) await store.append(idea.id, null, note(`${i}`));
    let reads = 0;
    const counted = {
      ...store,
      events: (id: string, after: number) => {
        reads++;
        return store.events(id, after);
      },
    };
    const socket = plainSocket();
    const conn = createConnection(
      socket,
      { store: counted, runs, hub, logger: silentLogger },
      { maxBufferedBytes: 1_000_000 },
    );
    for (let after = 0; after < 50; after++) {
      conn.receive(JSON.stringify({ type: "subscribe", ideaId: idea.id, after }));
    }
    await expect.poll(() => socket.sent.some((m) => m.type === "subscribed")).toBe(true);
    await store.append(idea.id, null, note("61"));
    expect(reads).toBe(1);
    expect(seqs(socket.sent)).toEqual(Array.from({ length: 12 }, (_, i) => 50 + i));
    expect(socket.sent.filter((m) => m.type === "subscribed")).toEqual([
      { type: "subscribed", ideaId: idea.id, lastSeq: 60 },
    ]);
    conn.close();
  });
});
