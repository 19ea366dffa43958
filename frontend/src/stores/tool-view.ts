// How a tool call is summarised on its card: the key argument, and its result as text.
import { z } from "zod";

const keyArgSchema = z.looseObject({
  file_path: z.string().optional(),
  notebook_path: z.string().optional(),
  command: z.string().optional(),
  pattern: z.string().optional(),
  url: z.string().optional(),
  query: z.string().optional(),
  path: z.string().optional(),
  description: z.string().optional(),
  prompt: z.string().optional(),
});

/**
 * The one argument that says what the call does: the file, the command, the pattern... A path
 * inside the run's working folder is shown relative to it: the idea's folder is the same long
 * prefix on every card, and the file name is what a person reads.
 */
export function keyArgument(input: unknown, cwd?: string | null): string {
  const parsed = keyArgSchema.safeParse(input);
  if (!parsed.success) return "";
  const a = parsed.data;
  const v =
    a.file_path ??
    a.notebook_path ??
    a.command ??
    a.pattern ??
    a.url ??
    a.query ??
    a.path ??
    a.description ??
    a.prompt ??
    "";
  const prefix = cwd ? `${cwd.replace(/\/+$/, "")}/` : null;
  const shown =
    prefix && v.startsWith(prefix) && v.length > prefix.length ? v.slice(prefix.length) : v;
  const line = shown.split("\n")[0] ?? "";
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}

const textBlockSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
const typedBlockSchema = z.looseObject({ type: z.string() });

/** A tool result's content (a string or content blocks) as one text. */
export function resultText(content: string | unknown[]): string {
  if (typeof content === "string") return content;
  return content
    .map((block) => {
      const t = textBlockSchema.safeParse(block);
      if (t.success) return t.data.text;
      const typed = typedBlockSchema.safeParse(block);
      return typed.success ? `[${typed.data.type}]` : JSON.stringify(block);
    })
    .join("\n");
}

/**
 * Whether a tool result is the CLI refusing the call for want of permission ("Claude requested
 * permissions to use Bash, but you haven't granted it yet."): the denial itself only comes with
 * the run's result, and until then the card would say "Error".
 */
export function saysPermissionDenied(text: string): boolean {
  return /^Claude requested permissions? to .*haven't granted it/s.test(text.trim());
}
