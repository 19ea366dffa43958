// The hot line of a partial-messages run (a content_block_delta) read without zod, by the same rules.
import { isRecord } from "./map-common.js";

export type DeltaKind = "text_delta" | "thinking_delta" | "tool_input_delta";

export interface FastDelta {
  kind: DeltaKind;
  parent: string | null;
  apiMessageId: string | null;
  index: number | null;
  text: string;
}

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string";
const optionalNumber = (v: unknown) =>
  v === undefined || v === null || (typeof v === "number" && Number.isFinite(v));

/** streamDeltaSchema's three variants: the event kind and the delta's text. */
function deltaText(delta: Record<string, unknown>): [DeltaKind, unknown] | null {
  switch (delta.type) {
    case "text_delta":
      return ["text_delta", delta.text];
    case "thinking_delta":
      return ["thinking_delta", delta.thinking];
    case "input_json_delta":
      return ["tool_input_delta", delta.partial_json];
    default:
      return null;
  }
}

/**
 * Most lines of a `--include-partial-messages` run are deltas of a few bytes, and on those zod
 * costs about as much as JSON.parse. This checks exactly what streamEventLineSchema and
 * streamDeltaSchema check on such a line (field types included); null means "not this simple
 * case": the caller then takes the schema path, which decides (a mismatch there is `unknown`).
 */
export function readFastDelta(line: Record<string, unknown>): FastDelta | null {
  const ev = line.event;
  if (!isRecord(ev) || ev.type !== "content_block_delta" || !isRecord(ev.delta)) return null;
  const found = deltaText(ev.delta);
  if (found === null) return null;
  const [kind, text] = found;
  const index = ev.index;
  const parent = line.parent_tool_use_id;
  const apiMessageId = line.api_message_id;
  if (
    typeof text !== "string" ||
    !optionalNumber(index) ||
    !optionalString(parent) ||
    !optionalString(apiMessageId) ||
    !optionalString(line.session_id) ||
    !optionalString(line.uuid)
  )
    return null;
  return {
    kind,
    parent: typeof parent === "string" ? parent : null,
    apiMessageId: typeof apiMessageId === "string" ? apiMessageId : null,
    index: typeof index === "number" ? index : null,
    text,
  };
}
