// Collects a short side command's output, with a deadline so a stuck target cannot hang a caller.
import type { Readable } from "node:stream";
import { ExecError, type SideResult } from "./executor.js";

const MAX_BYTES = 1024 * 1024;

export function collect(
  stdout: Readable,
  stderr: Readable,
  timeoutMs: number,
  abort: () => void,
  ended: Promise<number | null>,
): Promise<SideResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let size = 0;
  const take = (into: Buffer[]) => (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BYTES) into.push(c);
  };
  stdout.on("data", take(out));
  stderr.on("data", take(err));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      abort();
      reject(new ExecError("timeout", `A command on the target took longer than ${timeoutMs} ms`));
    }, timeoutMs);
    ended.then(
      (code) => {
        clearTimeout(timer);
        resolve({
          code,
          stdout: Buffer.concat(out).toString("utf8"),
          stderr: Buffer.concat(err).toString("utf8"),
        });
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
