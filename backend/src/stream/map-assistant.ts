// `assistant` lines (API messages, one block per line, and the simplified flat shape) -> events.
import {
  assistantLineSchema,
  simpleAssistantLineSchema,
  textBlockSchema,
  thinkingBlockSchema,
  toolUseBlockSchema,
  type AssistantLine,
  type ClaudeEvent,
  type SimpleAssistantLine,
  type Usage,
} from "@catalyst/shared";
import { isRecord, parentOf, pushUnknown } from "./map-common.js";
import type { UsageTracker } from "./usage-tracker.js";

export function mapAssistantLine(
  value: Record<string, unknown>,
  usage: UsageTracker,
  out: ClaudeEvent[],
): void {
  if (typeof value.subtype === "string" && value.message === undefined) {
    const s = simpleAssistantLineSchema.safeParse(value);
    return s.success
      ? simpleAssistant(s.data, value, out)
      : pushUnknown(value, parentOf(value), out);
  }
  const a = assistantLineSchema.safeParse(value);
  return a.success ? assistant(a.data, usage, out) : pushUnknown(value, parentOf(value), out);
}

function assistant(line: AssistantLine, tracker: UsageTracker, out: ClaudeEvent[]): void {
  const parent = line.parent_tool_use_id ?? null;
  const msg = line.message;
  const messageId = msg.id ?? null;
  if (line.error !== undefined && line.error !== null) {
    // A synthetic message standing for a failed API call: its text is the error, not model output.
    const texts = blockTexts(msg.content);
    out.push({
      type: "notice",
      parentToolUseId: parent,
      level: "error",
      kind: "api_error",
      message:
        texts ||
        `API error: ${typeof line.error === "string" ? line.error : JSON.stringify(line.error)}`,
      data: { error: line.error, model: msg.model ?? null },
    });
    return;
  }
  let usage = tracker.unreported(messageId, msg.usage);
  const content =
    typeof msg.content === "string" ? [{ type: "text", text: msg.content }] : msg.content;
  for (const block of content) {
    const event = assistantBlock(block, parent, messageId, usage);
    if (event) {
      out.push(event);
      if (usage) tracker.markReported(messageId);
      usage = undefined;
    } else {
      pushUnknown(block, parent, out);
    }
  }
}

function assistantBlock(
  block: unknown,
  parent: string | null,
  messageId: string | null,
  usage: Usage | undefined,
): ClaudeEvent | null {
  if (!isRecord(block)) return null;
  const extra = usage ? { usage } : {};
  switch (block.type) {
    case "text": {
      const b = textBlockSchema.safeParse(block);
      return b.success
        ? { type: "text", parentToolUseId: parent, messageId, text: b.data.text, ...extra }
        : null;
    }
    case "thinking": {
      const b = thinkingBlockSchema.safeParse(block);
      return b.success
        ? {
            type: "thinking",
            parentToolUseId: parent,
            messageId,
            text: b.data.thinking,
            ...extra,
          }
        : null;
    }
    case "tool_use": {
      const b = toolUseBlockSchema.safeParse(block);
      return b.success
        ? {
            type: "tool_use",
            parentToolUseId: parent,
            messageId,
            id: b.data.id,
            name: b.data.name,
            input: b.data.input,
            ...extra,
          }
        : null;
    }
    default:
      return null;
  }
}

function simpleAssistant(line: SimpleAssistantLine, raw: unknown, out: ClaudeEvent[]): void {
  const parent = line.parent_tool_use_id ?? null;
  const text = line.text ?? line.thinking;
  if (line.subtype === "text" && line.text !== undefined) {
    out.push({ type: "text", parentToolUseId: parent, messageId: null, text: line.text });
  } else if (line.subtype === "thinking" && text !== undefined) {
    out.push({ type: "thinking", parentToolUseId: parent, messageId: null, text });
  } else if (line.subtype === "tool_use" && line.name !== undefined) {
    out.push({
      type: "tool_use",
      parentToolUseId: parent,
      messageId: null,
      id: line.tool_use_id ?? line.id ?? "",
      name: line.name,
      input: line.input ?? {},
    });
  } else {
    pushUnknown(raw, parent, out);
  }
}

function blockTexts(content: AssistantLine["message"]["content"]): string {
  if (typeof content === "string") return content;
  return content
    .map((b) => (isRecord(b) && typeof b.text === "string" ? b.text : ""))
    .filter(Boolean)
    .join("\n");
}
