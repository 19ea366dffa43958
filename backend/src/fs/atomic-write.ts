// Replaces a file so a reader sees the old or the new content, never a mix: temp file, fsync, rename.
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import type { FsPort } from "./fs-port.js";

export const TEMP_SUFFIX = ".tmp";

export async function writeAtomic(fs: FsPort, path: string, data: string): Promise<void> {
  // Same directory, so the rename stays on one file system and is atomic.
  const temp = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`,
  );
  try {
    await fs.writeFileDurably(temp, data);
    await fs.rename(temp, path);
  } catch (err) {
    // A full disk (or any failed write) must not leave the half-written temp file behind; a
    // crash still may, and start-up removes those.
    await fs.rm(temp).catch(() => undefined);
    throw err;
  }
}
