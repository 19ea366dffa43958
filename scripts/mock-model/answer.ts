// One assistant answer of the mock model, as a Messages API JSON body or as its SSE event sequence.

export type Block =
  | { type: "text"; text: string; deltaChars?: number | undefined; intervalMs?: number | undefined }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface Answer {
  id: string;
  model: string;
  blocks: Block[];
  inputTokens: number;
}

/** One SSE event, written `delayMs` after the previous one. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
  delayMs: number;
}

const stopReason = (a: Answer): string =>
  a.blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";

/** A rough count, enough for the CLI's cost and context arithmetic. */
const outputTokens = (a: Answer): number =>
  Math.max(1, Math.ceil(JSON.stringify(a.blocks).length / 4));

const fullBlock = (b: Block): Record<string, unknown> =>
  b.type === "text"
    ? { type: "text", text: b.text }
    : { type: "tool_use", id: b.id, name: b.name, input: b.input };

/** The non-streaming answer (the CLI falls back to it when a stream breaks). */
export function messageJson(a: Answer): Record<string, unknown> {
  return {
    id: a.id,
    type: "message",
    role: "assistant",
    model: a.model,
    content: a.blocks.map(fullBlock),
    stop_reason: stopReason(a),
    stop_sequence: null,
    usage: usage(a, outputTokens(a)),
  };
}

const usage = (a: Answer, output: number): Record<string, number> => ({
  input_tokens: a.inputTokens,
  output_tokens: output,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
});

function chunks(text: string, size: number | undefined): string[] {
  if (!size || text.length <= size) return [text];
  const out: string[] = [];
  // Split by code points so a delta never carries half a surrogate pair.
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(""));
  return out;
}

export function messageStartEvent(a: Answer): SseEvent {
  const message = { ...messageJson(a), content: [], stop_reason: null, usage: usage(a, 1) };
  return { event: "message_start", data: { type: "message_start", message }, delayMs: 0 };
}

function blockEvents(b: Block, index: number): SseEvent[] {
  const ev = (event: string, data: Record<string, unknown>, delayMs = 0): SseEvent => ({
    event,
    data: { type: event, index, ...data },
    delayMs,
  });
  if (b.type === "text") {
    return [
      ev("content_block_start", { content_block: { type: "text", text: "" } }),
      ...chunks(b.text, b.deltaChars).map((text) =>
        ev("content_block_delta", { delta: { type: "text_delta", text } }, b.intervalMs ?? 0),
      ),
      ev("content_block_stop", {}),
    ];
  }
  const json = JSON.stringify(b.input);
  // Two deltas, as the real API splits tool input: clients must join partial JSON.
  const half = Math.floor(json.length / 2);
  return [
    ev("content_block_start", {
      content_block: { type: "tool_use", id: b.id, name: b.name, input: {} },
    }),
    ev("content_block_delta", {
      delta: { type: "input_json_delta", partial_json: json.slice(0, half) },
    }),
    ev("content_block_delta", {
      delta: { type: "input_json_delta", partial_json: json.slice(half) },
    }),
    ev("content_block_stop", {}),
  ];
}

/** The whole streamed answer, from `message_start` to `message_stop`. */
export function sseEvents(a: Answer): SseEvent[] {
  return [
    messageStartEvent(a),
    ...a.blocks.flatMap(blockEvents),
    {
      event: "message_delta",
      data: {
        type: "message_delta",
        delta: { stop_reason: stopReason(a), stop_sequence: null },
        usage: { output_tokens: outputTokens(a) },
      },
      delayMs: 0,
    },
    { event: "message_stop", data: { type: "message_stop" }, delayMs: 0 },
  ];
}

export function formatSse(e: Pick<SseEvent, "event" | "data">): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}
