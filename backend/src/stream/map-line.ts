// One parsed CLI line -> the events the product shows; remembers what it needs across lines.
import {
  assistantLineSchema,
  permissionDenialLineSchema,
  rateLimitLineSchema,
  resultLineSchema,
  simpleAssistantLineSchema,
  streamDeltaSchema,
  streamEventLineSchema,
  systemInitLineSchema,
  systemLineSchema,
  textBlockSchema,
  thinkingBlockSchema,
  toolResultBlockSchema,
  toolResultLineSchema,
  toolUseBlockSchema,
  userLineSchema,
  type AssistantLine,
  type ClaudeEvent,
  type PermissionDenial,
  type ResultLine,
  type SimpleAssistantLine,
  type StreamEventLine,
  type Usage,
  type UserLine,
} from "@catalyst/shared";
import { rateLimitNotice, systemNotice } from "./notices.js";

export interface LineMapper {
  /** Appends the events for one parsed JSON line to `out`. Never throws. */
  map(value: unknown, out: ClaudeEvent[]): void;
}

// Message ids whose usage was already reported; old ids are forgotten so memory stays bounded.
const MAX_REMEMBERED_MESSAGES = 4096;

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function createLineMapper(): LineMapper {
  const usageReported = new Set<string>();
  // `stream_event` deltas do not repeat the message id: remember it from message_start, per agent.
  const streamMessageIds = new Map<string, string | null>();

  /** The message's usage if no event carried it yet. */
  function unreportedUsage(messageId: string | null, usage: Usage | null | undefined) {
    if (!usage || (messageId !== null && usageReported.has(messageId))) return undefined;
    return usage;
  }

  function markReported(messageId: string | null): void {
    if (messageId === null) return;
    usageReported.add(messageId);
    if (usageReported.size > MAX_REMEMBERED_MESSAGES) {
      const oldest = usageReported.values().next().value;
      if (oldest !== undefined) usageReported.delete(oldest);
    }
  }

  function unknown(raw: unknown, parent: string | null, out: ClaudeEvent[]): void {
    out.push({ type: "unknown", parentToolUseId: parent, raw });
  }

  function assistant(line: AssistantLine, out: ClaudeEvent[]): void {
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
    let usage = unreportedUsage(messageId, msg.usage);
    const content =
      typeof msg.content === "string" ? [{ type: "text", text: msg.content }] : msg.content;
    for (const block of content) {
      const event = assistantBlock(block, parent, messageId, usage);
      if (event) {
        out.push(event);
        if (usage) markReported(messageId);
        usage = undefined;
      } else {
        unknown(block, parent, out);
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
      unknown(raw, parent, out);
    }
  }

  function user(line: UserLine, out: ClaudeEvent[]): void {
    const parent = line.parent_tool_use_id ?? null;
    const content = line.message.content;
    if (typeof content === "string") {
      if (content.length > 0) out.push(userText(content, parent));
      return;
    }
    for (const block of content) {
      if (!isRecord(block)) {
        unknown(block, parent, out);
      } else if (block.type === "tool_result") {
        const b = toolResultBlockSchema.safeParse(block);
        if (b.success) {
          out.push({
            type: "tool_result",
            parentToolUseId: parent,
            toolUseId: b.data.tool_use_id,
            content: b.data.content ?? "",
            isError: b.data.is_error ?? false,
          });
        } else unknown(block, parent, out);
      } else if (block.type === "text" && typeof block.text === "string") {
        out.push(userText(block.text, parent));
      } else {
        unknown(block, parent, out);
      }
    }
  }

  function result(line: ResultLine, out: ClaudeEvent[]): void {
    const parent = line.parent_tool_use_id ?? null;
    const denials: PermissionDenial[] = [];
    for (const d of line.permission_denials ?? []) {
      const p = permissionDenialLineSchema.safeParse(d);
      if (!p.success) continue;
      const denial = {
        toolName: p.data.tool_name,
        toolUseId: p.data.tool_use_id ?? null,
        input: p.data.tool_input ?? null,
      };
      denials.push(denial);
      out.push({ type: "permission_denied", parentToolUseId: parent, ...denial });
    }
    const errors = (line.errors ?? []).map(errorText);
    if (line.error !== undefined && line.error !== null) errors.push(errorText(line.error));
    const isError =
      line.is_error ??
      (line.subtype !== undefined ? line.subtype !== "success" : errors.length > 0);
    out.push({
      type: "result",
      parentToolUseId: parent,
      subtype: line.subtype ?? (isError ? "error" : "success"),
      isError,
      costUsd: line.total_cost_usd ?? line.cost_usd ?? null,
      durationMs: line.duration_ms ?? null,
      numTurns: line.num_turns ?? line.turns ?? null,
      text: line.result ?? null,
      errors,
      permissionDenials: denials,
      sessionId: line.session_id ?? null,
      usage: line.usage ?? null,
    });
  }

  function streamEvent(line: StreamEventLine, raw: unknown, out: ClaudeEvent[]): void {
    const parent = line.parent_tool_use_id ?? null;
    const key = parent ?? "";
    const ev = line.event;
    if (ev.type === "message_start") {
      const id = isRecord(ev.message) && typeof ev.message.id === "string" ? ev.message.id : null;
      streamMessageIds.set(key, id);
      return;
    }
    if (ev.type === "content_block_delta") {
      const messageId = line.api_message_id ?? streamMessageIds.get(key) ?? null;
      const index = ev.index ?? null;
      const d = streamDeltaSchema.safeParse(ev.delta);
      if (d.success) {
        const delta = d.data;
        if (delta.type === "text_delta") {
          out.push({
            type: "text_delta",
            parentToolUseId: parent,
            messageId,
            index,
            text: delta.text,
          });
        } else if (delta.type === "thinking_delta") {
          out.push({
            type: "thinking_delta",
            parentToolUseId: parent,
            messageId,
            index,
            text: delta.thinking,
          });
        } else {
          out.push({
            type: "tool_input_delta",
            parentToolUseId: parent,
            messageId,
            index,
            partialJson: delta.partial_json,
          });
        }
        return;
      }
      if (
        isRecord(ev.delta) &&
        typeof ev.delta.type === "string" &&
        SILENT_DELTAS.has(ev.delta.type)
      )
        return;
      unknown(raw, parent, out);
      return;
    }
    if (SILENT_STREAM_EVENTS.has(ev.type)) return;
    unknown(raw, parent, out);
  }

  return {
    map(value, out) {
      try {
        mapValue(value, out);
      } catch {
        // Defensive: a bug in a branch above must not stop the stream; the line is kept whole.
        unknown(value, null, out);
      }
    },
  };

  function mapValue(value: unknown, out: ClaudeEvent[]): void {
    if (!isRecord(value) || typeof value.type !== "string") return unknown(value, null, out);
    const parent = typeof value.parent_tool_use_id === "string" ? value.parent_tool_use_id : null;
    switch (value.type) {
      case "assistant": {
        if (typeof value.subtype === "string" && value.message === undefined) {
          const s = simpleAssistantLineSchema.safeParse(value);
          return s.success ? simpleAssistant(s.data, value, out) : unknown(value, parent, out);
        }
        const a = assistantLineSchema.safeParse(value);
        return a.success ? assistant(a.data, out) : unknown(value, parent, out);
      }
      case "user": {
        const u = userLineSchema.safeParse(value);
        return u.success ? user(u.data, out) : unknown(value, parent, out);
      }
      case "tool_result": {
        const t = toolResultLineSchema.safeParse(value);
        if (!t.success) return unknown(value, parent, out);
        out.push({
          type: "tool_result",
          parentToolUseId: parent,
          toolUseId: t.data.tool_use_id,
          content: t.data.content ?? "",
          isError: t.data.is_error ?? false,
        });
        return;
      }
      case "result": {
        const r = resultLineSchema.safeParse(value);
        return r.success ? result(r.data, out) : unknown(value, parent, out);
      }
      case "stream_event": {
        const s = streamEventLineSchema.safeParse(value);
        return s.success ? streamEvent(s.data, value, out) : unknown(value, parent, out);
      }
      case "rate_limit_event": {
        const r = rateLimitLineSchema.safeParse(value);
        if (r.success) out.push(rateLimitNotice(r.data));
        else unknown(value, parent, out);
        return;
      }
      case "system": {
        if (value.subtype === "init") {
          const i = systemInitLineSchema.safeParse(value);
          if (!i.success) return unknown(value, parent, out);
          const d = i.data;
          out.push({
            type: "init",
            parentToolUseId: d.parent_tool_use_id ?? null,
            sessionId: d.session_id,
            model: d.model ?? null,
            cwd: d.cwd ?? null,
            tools: d.tools ?? [],
            permissionMode: d.permissionMode ?? null,
            cliVersion: d.claude_code_version ?? null,
          });
          return;
        }
        const s = systemLineSchema.safeParse(value);
        if (s.success) out.push(systemNotice(s.data));
        else unknown(value, parent, out);
        return;
      }
      default:
        return unknown(value, parent, out);
    }
  }
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

function blockTexts(content: AssistantLine["message"]["content"]): string {
  if (typeof content === "string") return content;
  return content
    .map((b) => (isRecord(b) && typeof b.text === "string" ? b.text : ""))
    .filter(Boolean)
    .join("\n");
}

function errorText(e: unknown): string {
  if (typeof e === "string") return e;
  if (isRecord(e) && typeof e.message === "string") return e.message;
  return JSON.stringify(e) ?? String(e);
}
