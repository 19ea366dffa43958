// `user` lines (tool results, echoed user turns) and the simplified top-level `tool_result` -> events.
import {
  toolResultBlockSchema,
  toolResultLineSchema,
  userLineSchema,
  type ClaudeEvent,
} from "@catalyst/shared";
import { isRecord, parentOf, pushUnknown } from "./map-common.js";

export function mapUserLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const u = userLineSchema.safeParse(value);
  if (!u.success) return pushUnknown(value, parentOf(value), out);
  const parent = u.data.parent_tool_use_id ?? null;
  const content = u.data.message.content;
  if (typeof content === "string") {
    if (content.length > 0) out.push(userText(content, parent));
    return;
  }
  for (const block of content) {
    if (!isRecord(block)) {
      pushUnknown(block, parent, out);
    } else if (block.type === "tool_result") {
      const b = toolResultBlockSchema.safeParse(block);
      if (b.success) out.push(toolResultEvent(b.data, parent));
      else pushUnknown(block, parent, out);
    } else if (block.type === "text" && typeof block.text === "string") {
      out.push(userText(block.text, parent));
    } else {
      pushUnknown(block, parent, out);
    }
  }
}

/** The simplified shape: `{"type":"tool_result","tool_use_id",...}` on its own line. */
export function mapToolResultLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const parent = parentOf(value);
  const t = toolResultLineSchema.safeParse(value);
  if (!t.success) return pushUnknown(value, parent, out);
  out.push(toolResultEvent(t.data, parent));
}

/** The fields a `tool_result` block and the simplified top-level line share. */
function toolResultEvent(
  r: { tool_use_id: string; content?: string | unknown[] | null; is_error?: boolean | null },
  parent: string | null,
): ClaudeEvent {
  return {
    type: "tool_result",
    parentToolUseId: parent,
    toolUseId: r.tool_use_id,
    content: r.content ?? "",
    isError: r.is_error ?? false,
  };
}

function userText(text: string, parent: string | null): ClaudeEvent {
  // A user turn the CLI echoes: a subagent's prompt, an interruption, a slash command's output.
  return {
    type: "notice",
    parentToolUseId: parent,
    level: "info",
    kind: "user_message",
    message: text,
  };
}
