// `stream_event` lines (--include-partial-messages) -> text, thinking and tool-input deltas.
import {
  streamDeltaSchema,
  streamEventLineSchema,
  type ClaudeEvent,
  type StreamEventLine,
} from "@catalyst/shared";
import { isRecord, parentOf, pushUnknown } from "./map-common.js";
import { readFastDelta, type DeltaKind } from "./stream-delta-fast.js";

// Stream events that carry nothing the page shows (the whole blocks follow as assistant lines).
const SILENT_STREAM_EVENTS = new Set([
  "message_start",
  "message_delta",
  "message_stop",
  "content_block_start",
  "content_block_stop",
  "ping",
]);
const SILENT_DELTAS = new Set(["signature_delta", "citations_delta"]);

export interface StreamEventMapper {
  map(value: Record<string, unknown>, out: ClaudeEvent[]): void;
}

export function createStreamEventMapper(): StreamEventMapper {
  // Deltas do not repeat the message id (before 2.1): remember it from message_start, per agent.
  const messageIds = new Map<string, string | null>();

  function streamEvent(line: StreamEventLine, raw: unknown, out: ClaudeEvent[]): void {
    const parent = line.parent_tool_use_id ?? null;
    const key = parent ?? "";
    const ev = line.event;
    if (ev.type === "message_start") {
      const id = isRecord(ev.message) && typeof ev.message.id === "string" ? ev.message.id : null;
      messageIds.set(key, id);
      return;
    }
    if (ev.type === "content_block_delta") {
      const messageId = line.api_message_id ?? messageIds.get(key) ?? null;
      const index = ev.index ?? null;
      const d = streamDeltaSchema.safeParse(ev.delta);
      if (d.success) {
        const delta = d.data;
        if (delta.type === "text_delta")
          pushDelta("text_delta", parent, messageId, index, delta.text, out);
        else if (delta.type === "thinking_delta")
          pushDelta("thinking_delta", parent, messageId, index, delta.thinking, out);
        else pushDelta("tool_input_delta", parent, messageId, index, delta.partial_json, out);
        return;
      }
      if (
        isRecord(ev.delta) &&
        typeof ev.delta.type === "string" &&
        SILENT_DELTAS.has(ev.delta.type)
      )
        return;
      pushUnknown(raw, parent, out);
      return;
    }
    if (SILENT_STREAM_EVENTS.has(ev.type)) return;
    pushUnknown(raw, parent, out);
  }

  return {
    map(value, out) {
      const fast = readFastDelta(value);
      if (fast !== null) {
        const messageId = fast.apiMessageId ?? messageIds.get(fast.parent ?? "") ?? null;
        return pushDelta(fast.kind, fast.parent, messageId, fast.index, fast.text, out);
      }
      const s = streamEventLineSchema.safeParse(value);
      if (s.success) streamEvent(s.data, value, out);
      else pushUnknown(value, parentOf(value), out);
    },
  };
}

function pushDelta(
  kind: DeltaKind,
  parent: string | null,
  messageId: string | null,
  index: number | null,
  text: string,
  out: ClaudeEvent[],
): void {
  const base = { parentToolUseId: parent, messageId, index };
  if (kind === "tool_input_delta") out.push({ type: kind, ...base, partialJson: text });
  else out.push({ type: kind, ...base, text });
}
