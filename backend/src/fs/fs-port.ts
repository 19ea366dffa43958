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
  /**
   * Up to `length` bytes of the file from byte `offset` (fewer at its end, none past it), or null
   * when it does not exist. Long files are read this way, a bounded piece at a time.
   */
  readBytes(path: string, offset: number, length: number): Promise<Buffer | null>;
  /** The file's size in bytes, or null when it does not exist. */
  size(path: string): Promise<number | null>;
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
    async readBytes(path, offset, length) {
      let fh: fsp.FileHandle;
      try {
        fh = await fsp.open(path, "r");
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
      try {
        const buf = Buffer.alloc(length);
        let got = 0;
        while (got < length) {
          const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    },
    async size(path) {
      try {
        return (await fsp.stat(path)).size;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
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
