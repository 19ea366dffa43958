// DATA_DIR/sessions.json: hashes of the session tokens and of the key they belong to, read with zod, written atomically.
import { createHash, createHmac } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import type { Logger } from "../deps.js";
import { TEMP_SUFFIX, writeAtomic } from "../fs/atomic-write.js";
import type { FsPort } from "../fs/fs-port.js";

export const SESSIONS_FILE = "sessions.json";

export interface StoredSession {
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionFile {
  /** The sessions saved under this key; [] when there are none, they belong to another key, or the file is unusable. */
  load(): Promise<StoredSession[]>;
  save(sessions: readonly StoredSession[]): Promise<void>;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const fileSchema = z.object({
  version: z.literal(1),
  keyHash: hex64,
  sessions: z.array(
    z.object({ tokenHash: hex64, createdAt: z.iso.datetime(), expiresAt: z.iso.datetime() }),
  ),
});

/** A token is 256 random bits, so a plain SHA-256 cannot be reversed or guessed from the file. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Names the key without revealing it, so a changed APP_KEY can be told apart from the same one. */
export function keyFingerprint(appKey: string): string {
  return createHmac("sha256", appKey).update("catalyst sessions.json v1").digest("hex");
}

export function createSessionFile(
  fs: FsPort,
  path: string,
  appKey: string,
  logger: Logger,
): SessionFile {
  const keyHash = keyFingerprint(appKey);
  return {
    async load() {
      let text: string | null;
      try {
        await removeLeftoverTemps(fs, path);
        text = await fs.readFile(path);
      } catch (err) {
        logger.warn("cannot read the sessions file: everyone logs in again", {
          path,
          error: String(err),
        });
        return [];
      }
      if (text === null) return [];
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        logger.warn("the sessions file is not JSON: everyone logs in again", { path });
        return [];
      }
      const parsed = fileSchema.safeParse(json);
      if (!parsed.success) {
        logger.warn("the sessions file is not valid: everyone logs in again", {
          path,
          error: parsed.error.message,
        });
        return [];
      }
      if (parsed.data.keyHash !== keyHash) {
        logger.info("APP_KEY changed since the sessions were saved: everyone logs in again", {
          path,
        });
        return [];
      }
      return parsed.data.sessions.map((s) => ({
        tokenHash: s.tokenHash,
        createdAt: Date.parse(s.createdAt),
        expiresAt: Date.parse(s.expiresAt),
      }));
    },
    async save(sessions) {
      const file: z.input<typeof fileSchema> = {
        version: 1,
        keyHash,
        sessions: sessions.map((s) => ({
          tokenHash: s.tokenHash,
          createdAt: new Date(s.createdAt).toISOString(),
          expiresAt: new Date(s.expiresAt).toISOString(),
        })),
      };
      await fs.mkdir(dirname(path));
      await writeAtomic(fs, path, `${JSON.stringify(file, null, 2)}\n`);
    },
  };
}

/** A crash between writing the temp file and renaming it leaves `.sessions.json.<random>.tmp` behind. */
async function removeLeftoverTemps(fs: FsPort, path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  for (const name of await fs.readdir(dirname(path))) {
    if (name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX))
      await fs.rm(join(dirname(path), name));
  }
}
