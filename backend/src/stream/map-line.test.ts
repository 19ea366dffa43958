import type { ClaudeEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { createLineMapper } from "./map-line.js";

function mapAll(lines: unknown[]): ClaudeEvent[] {
  const m = createLineMapper();
  const out: ClaudeEvent[] = [];
  for (const l of lines) m.map(l, out);
  return out;
}

const assistant = (id: string | undefined, block: object, parent: string | null = null) => ({
  type: "assistant",
  message: { id, content: [block], usage: { input_tokens: 1, output_tokens: 2 } },
  parent_tool_use_id: parent,
});

describe("line mapper", () => {
  it("reports a message's usage once even when a subagent's lines come in between", () => {
    const events = mapAll([
      assistant("m1", { type: "text", text: "a" }),
      assistant("s1", { type: "text", text: "sub" }, "toolu_task"),
      assistant("m1", { type: "tool_use", id: "t", name: "Read", input: {} }),
      assistant("s1", { type: "text", text: "sub 2" }, "toolu_task"),
    ]);
    expect(events.map((e) => "usage" in e && e.usage !== undefined)).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("gives the usage to the first event it makes, past blocks it does not know", () => {
    const events = mapAll([
      assistant("m1", { type: "server_tool_use", id: "s", name: "web_search", input: {} }),
      assistant("m1", { type: "text", text: "a" }),
      assistant("m1", { type: "text", text: "b" }),
    ]);
    expect(events.map((e) => e.type)).toEqual(["unknown", "text", "text"]);
    expect(events.map((e) => "usage" in e && e.usage !== undefined)).toEqual([false, true, false]);
  });

  it("keeps the usage of every line whose message has no id (nothing to tell them apart)", () => {
    const events = mapAll([
      assistant(undefined, { type: "text", text: "a" }),
      assistant(undefined, { type: "text", text: "b" }),
    ]);
    expect(events.every((e) => "usage" in e && e.usage !== undefined)).toBe(true);
  });

  it("remembers each agent's streamed message id separately", () => {
    const start = (id: string, parent: string | null) => ({
      type: "stream_event",
      event: { type: "message_start", message: { id } },
      parent_tool_use_id: parent,
    });
    const delta = (text: string, parent: string | null) => ({
      type: "stream_event",
      event: { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
      parent_tool_use_id: parent,
    });
    const events = mapAll([
      start("main", null),
      start("sub", "toolu_task"),
      delta("x", null),
      delta("y", "toolu_task"),
    ]);
    expect(
      events.map((e) => (e.type === "text_delta" ? [e.messageId, e.parentToolUseId] : null)),
    ).toEqual([
      ["main", null],
      ["sub", "toolu_task"],
    ]);
  });

  it("accepts an assistant message whose content is a plain string", () => {
    const events = mapAll([{ type: "assistant", message: { id: "m", content: "just text" } }]);
    expect(events).toEqual([
      { type: "text", parentToolUseId: null, messageId: "m", text: "just text" },
    ]);
  });

  it("keeps odd content blocks and odd denials without failing the line", () => {
    const events = mapAll([
      {
        type: "assistant",
        message: { id: "m", content: [42, { type: "text", text: "ok" }, { type: "text" }] },
      },
      {
        type: "result",
        subtype: "success",
        permission_denials: [null, { tool_name: "Bash" }],
        errors: [{ message: "boom" }, 7],
      },
      { type: "rate_limit_event", rate_limit_info: null },
      { type: "user", message: { content: "" } },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "unknown",
      "text",
      "unknown",
      "permission_denied",
      "result",
      "notice",
    ]);
    expect(events[4]).toMatchObject({
      permissionDenials: [{ toolName: "Bash", toolUseId: null, input: null }],
      errors: ["boom", "7"],
    });
    expect(events[5]).toMatchObject({ kind: "rate_limit", message: "Rate limit: unknown" });
  });

  it("keeps a line of a known type whose shape does not fit, as unknown", () => {
    const line = { type: "result", subtype: 3, is_error: "yes" };
    expect(mapAll([line])).toEqual([{ type: "unknown", parentToolUseId: null, raw: line }]);
  });
});
