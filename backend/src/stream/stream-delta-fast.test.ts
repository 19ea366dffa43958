// The fast delta reader against the schemas it stands in for: same answer, or none.
import { streamDeltaSchema, streamEventLineSchema } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { isRecord } from "./map-common.js";
import { readFastDelta } from "./stream-delta-fast.js";

const base = () => ({
  type: "stream_event",
  event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hi" } },
  session_id: "s",
  parent_tool_use_id: null,
  uuid: "u",
  api_message_id: "msg_1",
});

// Every value a JSON field can take, in kind: absent, null, each primitive, an array, an object.
const VALUES: unknown[] = [undefined, null, "x", "", 0, 2, -1.5, true, [], ["x"], {}, { a: 1 }];
type Path = readonly string[];
const PATHS: Path[] = [
  ["event"],
  ["event", "type"],
  ["event", "index"],
  ["event", "delta"],
  ["event", "delta", "type"],
  ["event", "delta", "text"],
  ["event", "delta", "thinking"],
  ["event", "delta", "partial_json"],
  ["session_id"],
  ["parent_tool_use_id"],
  ["uuid"],
  ["api_message_id"],
];
const DELTAS = [
  { type: "text_delta", text: "a" },
  { type: "thinking_delta", thinking: "b" },
  { type: "input_json_delta", partial_json: '{"x":' },
  { type: "signature_delta", signature: "sig" },
];

function withValue(line: Record<string, unknown>, path: Path, value: unknown) {
  const copy: Record<string, unknown> = structuredClone(line);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    const next = target[key];
    if (!isRecord(next)) return copy;
    target = next;
  }
  const last = path[path.length - 1] ?? "";
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

/** What the schema path reads from the line, or null where it would not make a delta event. */
function bySchemas(line: unknown) {
  const l = streamEventLineSchema.safeParse(line);
  if (!l.success || l.data.event.type !== "content_block_delta") return null;
  const d = streamDeltaSchema.safeParse(l.data.event.delta);
  if (!d.success) return null;
  const delta = d.data;
  return {
    kind: delta.type === "input_json_delta" ? "tool_input_delta" : delta.type,
    parent: l.data.parent_tool_use_id ?? null,
    apiMessageId: l.data.api_message_id ?? null,
    index: l.data.event.index ?? null,
    text:
      delta.type === "text_delta"
        ? delta.text
        : delta.type === "thinking_delta"
          ? delta.thinking
          : delta.partial_json,
  };
}

describe("the fast delta reader", () => {
  it("reads the CLI's delta lines, as the schemas do", () => {
    for (const delta of DELTAS.slice(0, 3)) {
      const line = { ...base(), event: { ...base().event, delta } };
      expect(readFastDelta(line)).not.toBeNull();
      expect(readFastDelta(line)).toEqual(bySchemas(line));
    }
  });

  it("agrees with the schemas on every field set to every kind of value, or leaves it to them", () => {
    let taken = 0;
    let checked = 0;
    for (const delta of DELTAS) {
      const line = { ...base(), event: { ...base().event, delta } };
      for (const path of PATHS) {
        for (const value of VALUES) {
          const variant = withValue(line, path, value);
          const fast = readFastDelta(variant);
          checked++;
          if (fast === null) continue;
          taken++;
          expect(fast, JSON.stringify(variant)).toEqual(bySchemas(variant));
        }
      }
    }
    // The fast path must really be taken for the valid variants, not just decline everything.
    expect(taken).toBeGreaterThan(checked / 10);
  });
});
