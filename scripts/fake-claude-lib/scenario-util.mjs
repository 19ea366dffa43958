// What the scenarios share: option parsing, pauses, and one tool call with its result.
import { toolUseId } from "./output.mjs";
import { suggestionsFor } from "./live.mjs";
import { callTool, permitted } from "./tools.mjs";

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const int = (v, dflt) => {
  const n = Number.parseInt(v ?? "", 10);
  return Number.isFinite(n) && n >= 0 ? n : dflt;
};
// ignore-sigint and child hold the process when nothing follows them, so a test can cancel it.
export const holdMs = (p, ctx) => int(p.ms, ctx.isLast ? 600_000 : 0);

export async function useTool(ctx, name, input, { intro, parent = null } = {}) {
  const id = toolUseId();
  const blocks = [];
  if (intro) blocks.push({ type: "text", text: intro });
  blocks.push({ type: "tool_use", id, name, input });
  await ctx.out.message(blocks, { parent, stopReason: "tool_use" });
  const r = await decide(ctx, name, input, id);
  if (r.denied) ctx.out.denied(name, id, input);
  await ctx.out.toolResult(id, r.content, {
    isError: r.isError,
    parent,
    toolUseResult: r.toolUseResult,
  });
  return r;
}

/**
 * With `--permission-prompt-tool stdio`, a call the flags do not allow is asked for (unless a kept
 * rule allows it); otherwise it is denied as without a prompt tool.
 */
async function decide(ctx, name, input, id) {
  const control = ctx.control;
  if (!control?.stdio || !ctx.tools.includes(name) || permitted(ctx.opts, name)) {
    return callTool(ctx, name, input);
  }
  if (control.allows(name, input)) return callTool(ctx, name, input, { granted: true });
  const answer = await control.canUseTool(name, input, {
    toolUseId: id,
    suggestions: suggestionsFor(name, input),
    description: typeof input.description === "string" ? input.description : undefined,
  });
  if (answer.behavior === "allow") {
    control.keep(answer.updatedPermissions);
    return callTool(ctx, name, answer.updatedInput ?? input, { granted: true });
  }
  return { content: String(answer.message ?? "Permission denied"), isError: true, denied: true };
}
