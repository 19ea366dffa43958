// The few file operations the idea store and the login sessions need, behind an interface so tests can
// crash between them.
import { constants } from "node:fs";
import * as fsp from "node:fs/promises";

// Ideas' conversations and the login sessions are the user's own: readable by them alone.
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

export interface FsPort {
  /** The file's text, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  /** The file's text from byte `offset` to its end ("" past the end), or null when it does not exist. */
  readFrom(path: string, offset: number): Promise<string | null>;
  /** Creates or replaces the file and flushes it to disk (fsync) before resolving. */
  writeFileDurably(path: string, data: string): Promise<void>;
  appendFile(path: string, data: string): Promise<void>;
  truncate(path: string, length: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  /** Entry names, or [] when the directory does not exist. */
  readdir(path: string): Promise<string[]>;
  rm(path: string): Promise<void>;
}

function isNotFound(err: unknown): boolean {
  return err instanceof Error && "code" in err && err.code === "ENOENT";
}

export function createNodeFs(): FsPort {
  return {
    async readFile(path) {
      try {
        return await fsp.readFile(path, "utf8");
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async readFrom(path, offset) {
      let fh: fsp.FileHandle;
      try {
        fh = await fsp.open(path, "r");
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      try {
        const { size } = await fh.stat();
        if (offset >= size) return "";
        const buf = Buffer.alloc(size - offset);
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await fh.read(buf, got, buf.length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got).toString("utf8");
      } finally {
        await fh.close();
      }
    },
    async writeFileDurably(path, data) {
      const fh = await fsp.open(
        path,
        constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC,
        PRIVATE_FILE,
      );
      try {
        await fh.writeFile(data, "utf8");
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    appendFile: (path, data) =>
      fsp.appendFile(path, data, { encoding: "utf8", mode: PRIVATE_FILE }),
    truncate: (path, length) => fsp.truncate(path, length),
    rename: (from, to) => fsp.rename(from, to),
    mkdir: async (path) => {
      await fsp.mkdir(path, { recursive: true, mode: PRIVATE_DIR });
    },
    async readdir(path) {
      try {
        return await fsp.readdir(path);
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    },
    rm: (path) => fsp.rm(path, { recursive: true, force: true }),
  };
}
