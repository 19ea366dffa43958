// --include-partial-messages: the stream events of one content block (start, deltas, stop).

/**
 * The events for block `index` as the API streams them; `deltas` are written with a pause between
 * them when a scenario asks for one, so they are kept apart from `start` and `end`.
 */
export function blockStreamEvents(index, block, chunks) {
  let start;
  let pieces;
  let delta;
  if (block.type === "text") {
    start = { type: "text", text: "" };
    pieces = chop(block.text, chunks);
    delta = (p) => ({ type: "text_delta", text: p });
  } else if (block.type === "thinking") {
    start = { type: "thinking", thinking: "", signature: "" };
    pieces = chop(block.thinking, chunks);
    delta = (p) => ({ type: "thinking_delta", thinking: p });
  } else {
    start = { type: "tool_use", id: block.id, name: block.name, input: {} };
    pieces = chop(JSON.stringify(block.input), chunks);
    delta = (p) => ({ type: "input_json_delta", partial_json: p });
  }
  const end = [];
  if (block.type === "thinking") {
    end.push({
      type: "content_block_delta",
      index,
      delta: { type: "signature_delta", signature: block.signature },
    });
  }
  end.push({ type: "content_block_stop", index });
  return {
    start: { type: "content_block_start", index, content_block: start },
    deltas: pieces.map((p) => ({ type: "content_block_delta", index, delta: delta(p) })),
    end,
  };
}

// Deltas come in small pieces, as from the API; keep surrogate pairs together.
function chop(text, count) {
  const chars = Array.from(text);
  const size = Math.max(1, Math.ceil(chars.length / count));
  const pieces = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(""));
  return pieces.length ? pieces : [""];
}
