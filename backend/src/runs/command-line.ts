// The Claude Code command line for each mode, from validated values only.
import { sessionIdSchema, type RunMode } from "@catalyst/shared";

const STREAM = ["-p", "--output-format", "stream-json", "--verbose", "--include-partial-messages"];
const READ_ONLY_TOOLS = "Read,Grep,Glob";

export interface CliArgsInput {
  mode: RunMode;
  resumeSessionId: string | null;
  buildPermissionMode: string;
  extraArgs: readonly string[];
}

export function cliArgs(input: CliArgsInput): string[] {
  const args = [...STREAM];
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
  return [...args, ...input.extraArgs];
}

/** Flags the product sets itself: letting CLAUDE_EXTRA_ARGS override them would break chat's read-only promise. */
const MANAGED = new Set([
  "-p",
  "--print",
  "--output-format",
  "--input-format",
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
