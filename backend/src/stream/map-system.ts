// `system` lines (init -> `init`, every other subtype -> a notice) and `rate_limit_event` lines.
import {
  rateLimitLineSchema,
  systemInitLineSchema,
  systemLineSchema,
  type ClaudeEvent,
} from "@catalyst/shared";
import { parentOf, pushUnknown } from "./map-common.js";
import { rateLimitNotice, systemNotice } from "./notices.js";

export function mapSystemLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  if (value.subtype === "init") {
    const i = systemInitLineSchema.safeParse(value);
    if (!i.success) return pushUnknown(value, parentOf(value), out);
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
  else pushUnknown(value, parentOf(value), out);
}

export function mapRateLimitLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const r = rateLimitLineSchema.safeParse(value);
  if (r.success) out.push(rateLimitNotice(r.data));
  else pushUnknown(value, parentOf(value), out);
}
