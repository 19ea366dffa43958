// What the scenarios share: option parsing, pauses, and one tool call with its result.
import { toolUseId } from "./output.mjs";
import { callTool } from "./tools.mjs";

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
  const r = callTool(ctx, name, input);
  if (r.denied) ctx.out.denied(name, id, input);
  await ctx.out.toolResult(id, r.content, {
    isError: r.isError,
    parent,
    toolUseResult: r.toolUseResult,
  });
  return r;
}
