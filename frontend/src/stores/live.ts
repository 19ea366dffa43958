// Routes WebSocket frames to transcripts and the idea list; resubscribes with `after` on reconnect.
import { serverMessageSchema, type ClientMessage, type TranscriptEntry } from "@catalyst/shared";
import type { Socket } from "../socket/make-socket.js";
import { describeError } from "../api/messages.js";
import type { TranscriptStore } from "./transcript.js";

export type LiveHandlers = {
  transcript(ideaId: string): TranscriptStore | undefined;
  ideaChanged(ideaId: string, deleted: boolean): void;
  /** An error not about one idea (bad frame, signed out). */
  error(message: string, code: string): void;
};

/** Frames arrive one task each; applying them in small batches keeps a fast run from re-rendering per event. */
export type Schedule = (fn: () => void) => void;
const frameSoon: Schedule = (fn) => setTimeout(fn, 16);

export function connectLive(socket: Socket, h: LiveHandlers, schedule: Schedule = frameSoon) {
  const subscribed = new Set<string>();
  const buffers = new Map<string, TranscriptEntry[]>();
  let scheduled = false;

  const send = (m: ClientMessage) => socket.send(JSON.stringify(m));

  function flush() {
    scheduled = false;
    for (const [id, buf] of buffers) h.transcript(id)?.apply(buf);
    buffers.clear();
  }

  const subscribeFrame = (ideaId: string) =>
    send({ type: "subscribe", ideaId, after: h.transcript(ideaId)?.lastSeq() ?? 0 });

  const offOpen = socket.onOpen(() => {
    flush();
    for (const id of subscribed) subscribeFrame(id);
  });

  const offMessage = socket.onMessage((data) => {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = serverMessageSchema.safeParse(json);
    if (!parsed.success) return;
    const m = parsed.data;
    switch (m.type) {
      case "event": {
        if (!subscribed.has(m.ideaId)) return;
        const buf = buffers.get(m.ideaId) ?? [];
        buf.push({ seq: m.seq, ts: m.ts, runId: m.runId, event: m.event });
        buffers.set(m.ideaId, buf);
        if (!scheduled) {
          scheduled = true;
          schedule(flush);
        }
        return;
      }
      case "error": {
        const t = m.ideaId ? h.transcript(m.ideaId) : undefined;
        if (t) {
          flush();
          t.addError(describeError(m));
        } else h.error(describeError(m), m.code);
        return;
      }
      case "idea_changed":
        h.ideaChanged(m.ideaId, m.deleted ?? false);
        return;
      case "subscribed":
        return;
    }
  });

  return {
    /** Live events for this idea from after its transcript's last seq; returns the unsubscribe. */
    subscribe(ideaId: string): () => void {
      subscribed.add(ideaId);
      // While closed, onOpen subscribes with the seq current at that moment: no stale queued frame.
      if (socket.state() === "open") subscribeFrame(ideaId);
      return () => {
        subscribed.delete(ideaId);
        buffers.delete(ideaId);
        if (socket.state() === "open") send({ type: "unsubscribe", ideaId });
      };
    },
    flush,
    dispose() {
      offOpen();
      offMessage();
    },
  };
}
export type Live = ReturnType<typeof connectLive>;
