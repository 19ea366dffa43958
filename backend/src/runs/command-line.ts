// The Claude Code command line for each mode, from validated values only.
import { sessionIdSchema, type RunMode } from "@catalyst/shared";

const STREAM = ["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages"];
/**
 * Every run is a live session: messages (the prompt first) arrive as stdin lines, and a tool call
 * the flags do not allow is asked for on stdout (`can_use_tool`) and answered on stdin. This asks
 * only about tools that exist: chat's `--tools` list stays the whole of what it can do.
 */
const LIVE = ["--input-format", "stream-json", "--permission-prompt-tool", "stdio"];
const READ_ONLY_TOOLS = "Read,Grep,Glob";

export interface CliArgsInput {
  mode: RunMode;
  resumeSessionId: string | null;
  /** The CLI stops the run (result `error_max_budget_usd`) once it has cost this much. */
  maxBudgetUsd?: number | null;
  buildPermissionMode: string;
  extraArgs: readonly string[];
}

export function cliArgs(input: CliArgsInput): string[] {
  const args = [...STREAM, ...LIVE];
  if (input.mode === "chat") {
    // --tools restricts what exists; --allowedTools only spares the approval prompt. `default`
    // keeps a permissive defaultMode from the user's settings out of a read-only chat.
    args.push("--tools", READ_ONLY_TOOLS, "--allowedTools", READ_ONLY_TOOLS);
    args.push("--permission-mode", "default");
  } else {
    args.push("--permission-mode", input.buildPermissionMode);
  }
  if (input.resumeSessionId !== null) {
    args.push("--resume", sessionIdSchema.parse(input.resumeSessionId));
  }
  if (input.maxBudgetUsd !== undefined && input.maxBudgetUsd !== null) {
    args.push("--max-budget-usd", budgetArg(input.maxBudgetUsd));
  }
  return [...args, ...input.extraArgs];
}

/** Dollars as a plain decimal, rounded down to a millionth so the cap never exceeds what is left. */
export function budgetArg(usd: number): string {
  if (!Number.isFinite(usd) || usd <= 0) throw new Error(`not a budget: ${usd}`);
  const micros = Math.max(1, Math.floor(usd * 1e6 + 1e-6));
  return (micros / 1e6).toFixed(6).replace(/\.?0+$/, "");
}

/** Flags the product sets itself: letting CLAUDE_EXTRA_ARGS override them would break chat's read-only promise. */
const MANAGED = new Set([
  "-p",
  "--print",
  "--output-format",
  "--input-format",
  "--permission-prompt-tool",
  "--verbose",
  "--tools",
  "--allowedTools",
  "--allowed-tools",
  "--disallowedTools",
  "--disallowed-tools",
  "--permission-mode",
  "--dangerously-skip-permissions",
  "--resume",
  "-r",
  "--continue",
  "-c",
  // The budgets' cap: an extra flag must not lift it.
  "--max-budget-usd",
]);

export type ExtraArgsResult = { success: true; data: string[] } | { success: false; error: string };

/** CLAUDE_EXTRA_ARGS, word by word: plain words only, and none of the flags the product manages. */
export function parseExtraArgs(raw: string): ExtraArgsResult {
  const words = raw.split(/\s+/).filter(Boolean);
  for (const w of words) {
    if (!/^[A-Za-z0-9_./:=@%+,-]+$/.test(w)) {
      return {
        success: false,
        error: `CLAUDE_EXTRA_ARGS: "${w}" may only use letters, digits and _./:=@%+,-`,
      };
    }
    const flag = w.split("=")[0] ?? w;
    if (MANAGED.has(flag)) {
      return { success: false, error: `CLAUDE_EXTRA_ARGS: ${flag} is set by Catalyst itself` };
    }
  }
  return { success: true, data: words };
}
