// One viewer's WebSocket: validates frames, replays then follows ideas, and drops itself when too slow.
import {
  clientMessageSchema,
  ideaIdSchema,
  type ClientMessage,
  type ServerMessage,
  type TranscriptEntry,
} from "@catalyst/shared";
import type { Logger } from "../deps.js";
import { toAppError } from "../http/app-error.js";
import { formatIssues } from "../http/validate.js";
import type { RunService } from "../ideas/run-service.js";
import type { IdeaStore } from "../ideas/store.js";
import type { Hub } from "./hub.js";

/** The little of a `ws` socket this needs, so tests can drive it with a plain object. */
export interface RelaySocket {
  /** `onWritten` runs once the frame has left the process (handed to the kernel). */
  send(data: string, onWritten?: () => void): void;
  /** Bytes queued in the process for this socket and not yet written. */
  readonly bufferedAmount: number;
  isOpen(): boolean;
  /** Drops the connection at once (no close handshake: the peer is not reading). */
  terminate(): void;
}

export interface ConnectionLimits {
  /** Past this many queued bytes a live viewer is dropped; it reconnects and resubscribes with `after`. */
  maxBufferedBytes: number;
}

export interface Connection {
  receive(text: string): void;
  close(): void;
}

interface Subscription {
  unsubscribe: () => void;
}

/** Live entries held while a replay is being sent; past this the viewer is dropped. */
const MAX_BUFFERED_DURING_REPLAY = 10_000;

// The same entry goes to every viewer of an idea: serialize it once.
const frames = new WeakMap<TranscriptEntry, string>();
function eventFrame(ideaId: string, entry: TranscriptEntry): string {
  let frame = frames.get(entry);
  if (frame === undefined) {
    const msg: ServerMessage = { type: "event", ideaId, ...entry };
    frame = JSON.stringify(msg);
    frames.set(entry, frame);
  }
  return frame;
}

export function createConnection(
  socket: RelaySocket,
  services: { store: IdeaStore; runs: RunService; hub: Hub; logger: Logger },
  limits: ConnectionLimits,
): Connection {
  const { store, runs, hub, logger } = services;
  const subs = new Map<string, Subscription>();
  let closed = false;
  /** The transcript read in progress: one at a time per viewer (see subscribe). */
  let reading: Promise<unknown> = Promise.resolve();

  function dropSlow(queued: number): void {
    logger.warn("dropping a viewer that does not keep up", { queued });
    close();
    socket.terminate();
  }

  /** Sizes of large frames handed to the socket and not yet written out. */
  const largeInFlight: number[] = [];

  /**
   * A large frame (a 32 MiB tool result) takes a while to leave even for a viewer that reads: it
   * alone never counts as "slow", only what is queued beyond the largest one still being written.
   */
  function sendRaw(frame: string, onWritten?: () => void): boolean {
    if (closed || !socket.isOpen()) return false;
    const queued = socket.bufferedAmount - Math.max(0, ...largeInFlight);
    if (queued > limits.maxBufferedBytes) {
      dropSlow(socket.bufferedAmount);
      return false;
    }
    if (frame.length <= limits.maxBufferedBytes / 4) {
      socket.send(frame, onWritten);
      return true;
    }
    const size = Buffer.byteLength(frame, "utf8");
    largeInFlight.push(size);
    socket.send(frame, () => {
      largeInFlight.splice(largeInFlight.indexOf(size), 1);
      onWritten?.();
    });
    return true;
  }

  const send = (msg: ServerMessage) => void sendRaw(JSON.stringify(msg));

  function fail(err: unknown, ideaId?: string): void {
    const e = toAppError(err);
    if (e.code === "internal") logger.error("a WebSocket request failed", { error: String(err) });
    send({
      type: "error",
      ...(ideaId !== undefined ? { ideaId } : {}),
      code: e.code,
      message: e.message,
    });
  }

  async function subscribe(ideaId: string, after: number): Promise<void> {
    subs.get(ideaId)?.unsubscribe();
    let live = false;
    let lastSent = after;
    const buffered: TranscriptEntry[] = [];
    const sendEntry = (entry: TranscriptEntry, onWritten?: () => void): boolean => {
      if (entry.seq <= lastSent) return false;
      lastSent = entry.seq;
      return sendRaw(eventFrame(ideaId, entry), onWritten);
    };
    // Live first, into a buffer: whatever is appended while the file is read is not missed.
    const sub: Subscription = {
      unsubscribe: hub.subscribe(ideaId, (entry) => {
        if (live) return void sendEntry(entry);
        buffered.push(entry);
        // A viewer whose replay is this far behind the live run starts over with `after`.
        if (buffered.length > MAX_BUFFERED_DURING_REPLAY) dropSlow(buffered.length);
      }),
    };
    subs.set(ideaId, sub);
    const current = () => !closed && subs.get(ideaId) === sub;
    // One replay at a time, and none for a subscription already replaced: a burst of subscribe
    // frames costs one read of the transcript, for the last. The history is read a chunk at a
    // time as it goes out, so a long transcript never sits in memory whole.
    const replay = reading.then(async () => {
      if (!current()) return;
      for await (const entry of store.events(ideaId, after)) {
        if (!current()) return;
        if (socket.bufferedAmount > limits.maxBufferedBytes / 2) {
          // A long history goes out at the viewer's pace: wait until this frame has left the process.
          await new Promise<void>((resolve) => {
            if (!sendEntry(entry, resolve)) resolve();
          });
        } else {
          sendEntry(entry);
        }
      }
    });
    reading = replay.catch(() => undefined);
    try {
      await replay;
    } catch (err) {
      sub.unsubscribe();
      if (subs.get(ideaId) === sub) subs.delete(ideaId);
      return fail(err, ideaId);
    }
    if (!current()) return;
    for (const entry of buffered) sendEntry(entry);
    buffered.length = 0;
    live = true;
    send({ type: "subscribed", ideaId, lastSeq: lastSent });
  }

  function unsubscribe(ideaId: string): void {
    subs.get(ideaId)?.unsubscribe();
    subs.delete(ideaId);
  }

  async function handle(msg: ClientMessage): Promise<void> {
    if (!ideaIdSchema.safeParse(msg.ideaId).success) {
      return send({
        type: "error",
        ideaId: msg.ideaId,
        code: "bad_request",
        message: "not a valid idea id",
      });
    }
    switch (msg.type) {
      case "subscribe":
        return subscribe(msg.ideaId, msg.after ?? 0);
      case "unsubscribe":
        return unsubscribe(msg.ideaId);
      case "chat":
        await runs.start(msg.ideaId, "chat", msg.message);
        return;
      case "build":
        await runs.start(msg.ideaId, "build", msg.message);
        return;
      case "cancel":
        await runs.cancel(msg.ideaId);
        return;
      case "permission_answer": {
        const { type: _type, ideaId, requestId, ...answer } = msg;
        await runs.answer(ideaId, requestId, answer);
        return;
      }
    }
  }

  const stopIdeaChanged = hub.onIdeaChanged((ideaId, deleted) => {
    if (deleted) unsubscribe(ideaId);
    send({ type: "idea_changed", ideaId, ...(deleted ? { deleted: true } : {}) });
  });

  function close(): void {
    if (closed) return;
    closed = true;
    stopIdeaChanged();
    for (const sub of subs.values()) sub.unsubscribe();
    subs.clear();
  }

  return {
    receive(text) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return send({ type: "error", code: "bad_request", message: "the frame is not valid JSON" });
      }
      const parsed = clientMessageSchema.safeParse(json);
      if (!parsed.success) {
        return send({ type: "error", code: "bad_request", message: formatIssues(parsed.error) });
      }
      const msg = parsed.data;
      handle(msg).catch((err: unknown) => fail(err, msg.ideaId));
    },
    close,
  };
}
