// What every line mapper shares: the record check, and the `unknown` event that keeps a line whole.
import type { ClaudeEvent } from "@catalyst/shared";

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The subagent a line belongs to, read before (or without) its schema: null for the main agent. */
export function parentOf(line: Record<string, unknown>): string | null {
  return typeof line.parent_tool_use_id === "string" ? line.parent_tool_use_id : null;
}

/** Keeps a line or block no schema knows, whole, so nothing the CLI wrote is lost. */
export function pushUnknown(raw: unknown, parent: string | null, out: ClaudeEvent[]): void {
  out.push({ type: "unknown", parentToolUseId: parent, raw });
}
