// An in-memory FsPort: files in a Map, with a switch to make reads or writes fail.
import type { FsPort } from "./fs-port.js";

export interface MemoryFs extends FsPort {
  files: Map<string, string>;
  failReads: boolean;
  failWrites: boolean;
}

export function memoryFs(): MemoryFs {
  const files = new Map<string, string>();
  const fs: MemoryFs = {
    files,
    failReads: false,
    failWrites: false,
    async readFile(path) {
      if (fs.failReads)
        throw Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
      return files.get(path) ?? null;
    },
    async readBytes(path, offset, length) {
      const text = files.get(path);
      return text === undefined ? null : Buffer.from(text).subarray(offset, offset + length);
    },
    async size(path) {
      const text = files.get(path);
      return text === undefined ? null : Buffer.byteLength(text);
    },
    async writeFileDurably(path, data) {
      if (fs.failWrites) throw new Error("ENOSPC: no space left on device");
      files.set(path, data);
    },
    async appendFile(path, data) {
      files.set(path, (files.get(path) ?? "") + data);
    },
    async truncate(path, length) {
      files.set(
        path,
        Buffer.from(files.get(path) ?? "")
          .subarray(0, length)
          .toString(),
      );
    },
    async rename(from, to) {
      const text = files.get(from);
      if (text === undefined) throw new Error(`ENOENT: ${from}`);
      files.delete(from);
      files.set(to, text);
    },
    async mkdir() {},
    async readdir(path) {
      return [...files.keys()]
        .filter((p) => p.startsWith(`${path}/`))
        .map((p) => p.slice(path.length + 1));
    },
    async rm(path) {
      files.delete(path);
    },
  };
  return fs;
}
