// The project folder as the page sees it: listings, file contents, a build run's changes, and the
// terminal's WebSocket frames.
import { z } from "zod";

export const fileEntrySchema = z.object({
  name: z.string(),
  type: z.enum(["file", "dir", "symlink", "other"]),
  size: z.number(),
  /** Milliseconds since the epoch. */
  mtime: z.number(),
});
export type FileEntry = z.infer<typeof fileEntrySchema>;

export const fileListingSchema = z.object({
  /** Relative to the project folder; "" is the folder itself. */
  path: z.string(),
  entries: z.array(fileEntrySchema),
  /** More entries than the listing holds (FILE_LIST_MAX). */
  truncated: z.boolean(),
});
export type FileListing = z.infer<typeof fileListingSchema>;

export const fileContentSchema = z.object({
  path: z.string(),
  size: z.number(),
  /** The text (UTF-8, up to the cap), or null for a binary file. */
  content: z.string().nullable(),
  binary: z.boolean(),
  truncated: z.boolean(),
});
export type FileContent = z.infer<typeof fileContentSchema>;

export const changedFileSchema = z.object({
  path: z.string(),
  /** The path before a rename. */
  oldPath: z.string().optional(),
  status: z.enum(["added", "modified", "deleted", "renamed"]),
  /** Lines; 0 and 0 for a binary file. */
  additions: z.number(),
  deletions: z.number(),
  binary: z.boolean(),
});
export type ChangedFile = z.infer<typeof changedFileSchema>;

export const runChangesSchema = z.object({
  runId: z.string(),
  files: z.array(changedFileSchema),
  /** A unified diff (git's), cut at the cap when `truncated`. */
  patch: z.string(),
  truncated: z.boolean(),
});
export type RunChanges = z.infer<typeof runChangesSchema>;

export const revertResultSchema = z.object({
  runId: z.string(),
  /** Files put back as they were (or removed, when the run had added them). */
  restored: z.number(),
});
export type RevertResult = z.infer<typeof revertResultSchema>;

const cells = z.number().int().min(2).max(1000);

export const terminalClientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().max(64 * 1024) }),
  z.object({ type: z.literal("resize"), cols: cells, rows: cells }),
]);
export type TerminalClientFrame = z.infer<typeof terminalClientFrameSchema>;

export const terminalServerFrameSchema = z.discriminatedUnion("type", [
  /** First frame: the terminal's id, to reattach to it after a reload (`?terminal=<id>`). */
  z.object({ type: z.literal("ready"), terminalId: z.string(), reattached: z.boolean() }),
  z.object({ type: z.literal("output"), data: z.string() }),
  z.object({ type: z.literal("exit"), code: z.number().nullable() }),
  z.object({ type: z.literal("error"), message: z.string() }),
]);
export type TerminalServerFrame = z.infer<typeof terminalServerFrameSchema>;
