// `result` lines -> `permission_denied` events for each denial, then the `result` event.
import {
  permissionDenialLineSchema,
  resultLineSchema,
  type ClaudeEvent,
  type PermissionDenial,
  type TokenCounts,
} from "@catalyst/shared";
import { z } from "zod";
import { isRecord, parentOf, pushUnknown } from "./map-common.js";

export function mapResultLine(value: Record<string, unknown>, out: ClaudeEvent[]): void {
  const r = resultLineSchema.safeParse(value);
  if (!r.success) return pushUnknown(value, parentOf(value), out);
  const line = r.data;
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
    line.is_error ?? (line.subtype !== undefined ? line.subtype !== "success" : errors.length > 0);
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
    sessionTokens: sessionTokens(line.modelUsage),
  });
}

const modelCountsSchema = z.looseObject({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  cacheReadInputTokens: z.number().optional(),
  cacheCreationInputTokens: z.number().optional(),
});

/** `modelUsage` ({model: counts}) summed over models; null when the CLI wrote none we can read. */
function sessionTokens(modelUsage: unknown): TokenCounts | null {
  if (!isRecord(modelUsage)) return null;
  const sum: TokenCounts = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };
  let any = false;
  for (const counts of Object.values(modelUsage)) {
    const c = modelCountsSchema.safeParse(counts);
    if (!c.success) continue;
    any = true;
    sum.inputTokens += c.data.inputTokens ?? 0;
    sum.outputTokens += c.data.outputTokens ?? 0;
    sum.cacheReadTokens += c.data.cacheReadInputTokens ?? 0;
    sum.cacheWriteTokens += c.data.cacheCreationInputTokens ?? 0;
  }
  return any ? sum : null;
}

function errorText(e: unknown): string {
  if (typeof e === "string") return e;
  if (isRecord(e) && typeof e.message === "string") return e.message;
  return JSON.stringify(e) ?? String(e);
}
