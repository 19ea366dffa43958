// `control_request` / `control_response` lines of a live session (stdio permission prompt):
// can_use_tool -> `permission_request`, any other request -> `control_request`, answers ->
// `control_response`.
import {
  addRulesSuggestionSchema,
  canUseToolRequestSchema,
  controlRequestLineSchema,
  controlResponseLineSchema,
  type ClaudeEvent,
} from "@catalyst/shared";
import { parentOf, pushUnknown } from "./map-common.js";

export function mapControlRequestLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const line = controlRequestLineSchema.safeParse(value);
  if (!line.success) return pushUnknown(value, parentOf(value), out);
  const { request_id: requestId, request } = line.data;
  const parentToolUseId = parentOf(value);
  const tool = canUseToolRequestSchema.safeParse(request);
  if (!tool.success) {
    out.push({
      type: "control_request",
      parentToolUseId,
      requestId,
      subtype: request.subtype,
      raw: value,
    });
    return;
  }
  const t = tool.data;
  const suggestions = t.permission_suggestions ?? [];
  out.push({
    type: "permission_request",
    parentToolUseId,
    requestId,
    toolName: t.tool_name,
    displayName: t.display_name ?? null,
    input: t.input ?? {},
    toolUseId: t.tool_use_id ?? null,
    description: t.description ?? null,
    decisionReason: reasonText(t.decision_reason),
    suggestions,
    alwaysRules: alwaysRules(suggestions),
    requiresUserInteraction:
      t.requires_user_interaction === true || t.tool_name === "AskUserQuestion",
  });
}

export function mapControlResponseLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const line = controlResponseLineSchema.safeParse(value);
  if (!line.success) return pushUnknown(value, parentOf(value), out);
  const r = line.data.response;
  out.push({
    type: "control_response",
    parentToolUseId: parentOf(value),
    requestId: r.request_id ?? null,
    subtype: r.subtype,
    error: r.error === undefined || r.error === null ? null : String(r.error),
  });
}

/** The rules the allow suggestions add: what "Always allow" names, and all it may keep. */
export function allowRulesOf(
  suggestions: readonly unknown[],
): { toolName: string; ruleContent?: string }[] {
  const rules: { toolName: string; ruleContent?: string }[] = [];
  for (const s of suggestions) {
    const p = addRulesSuggestionSchema.safeParse(s);
    if (!p.success || (p.data.behavior !== undefined && p.data.behavior !== "allow")) continue;
    for (const r of p.data.rules)
      rules.push(
        r.ruleContent
          ? { toolName: r.toolName, ruleContent: r.ruleContent }
          : { toolName: r.toolName },
      );
  }
  return rules;
}

/** The rules written as the CLI writes them in settings: `Bash(npm init *)`. */
function alwaysRules(suggestions: readonly unknown[]): string[] {
  return allowRulesOf(suggestions).map((r) =>
    r.ruleContent ? `${r.toolName}(${r.ruleContent})` : r.toolName,
  );
}

/** `decision_reason` is a string in 2.1.330; an object in other versions: keep what reads as text. */
function reasonText(reason: unknown): string | null {
  if (typeof reason === "string") return reason;
  if (
    reason &&
    typeof reason === "object" &&
    "reason" in reason &&
    typeof reason.reason === "string"
  )
    return reason.reason;
  return null;
}
