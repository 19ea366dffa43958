// Reads an idea's project folder on the target: listings, file contents, raw bytes, an archive.
import { Readable } from "node:stream";
import type { FileContent, FileEntry, FileListing } from "@catalyst/shared";
import { ExecError, type ExecChild } from "../exec/executor.js";
import { AppError } from "../http/app-error.js";
import { enterProjectLines, runOnTarget, type ProjectTarget } from "./project-target.js";
import { relativePath, resolveFailure, resolveLines } from "./safe-path.js";

/** A listing holds at most this many entries (node_modules can have thousands). */
export const FILE_LIST_MAX = 2000;
/** The content endpoint sends at most this much of a file; the raw download sends it whole. */
export const FILE_TEXT_MAX_BYTES = 256 * 1024;
const WRONG_KIND_EXIT = 93;

export interface TargetStream {
  body: ReadableStream<Uint8Array>;
  /** Bytes, when known before the stream starts. */
  size: number | null;
}

export interface FilesService {
  list(ideaId: string, rawPath: string | undefined): Promise<FileListing>;
  read(ideaId: string, rawPath: string | undefined): Promise<FileContent>;
  /** One file's bytes, streamed from the target. */
  raw(ideaId: string, rawPath: string | undefined): Promise<TargetStream & { path: string }>;
  /** The whole project folder (without .git) as a gzipped tar, streamed from the target. */
  archive(ideaId: string): Promise<TargetStream>;
}

const typeOf: Record<string, FileEntry["type"]> = { f: "file", d: "dir", l: "symlink" };

export function createFilesService(target: ProjectTarget): FilesService {
  const resolved = async (ideaId: string, rel: string, kind: "-f" | "-d", body: string[]) => {
    const r = await runOnTarget(
      target,
      [
        ...enterProjectLines(target, ideaId),
        ...resolveLines(rel),
        `[ ${kind} "$t" ] || exit ${WRONG_KIND_EXIT}`,
        ...body,
      ].join("\n"),
    );
    const refused = resolveFailure(r.code, rel);
    if (refused) throw refused;
    if (r.code === WRONG_KIND_EXIT)
      throw new AppError(
        "bad_request",
        `${rel || "."}: not a ${kind === "-f" ? "file" : "folder"}`,
      );
    if (r.code !== 0)
      throw new AppError(
        "unavailable",
        `the target could not read ${rel || "."}: ${r.stderr.trim()}`,
      );
    return r.stdout;
  };

  /**
   * `okCodes`: exit codes that still mean the output is whole (tar's 1: a file changed as read).
   * `bytes`: the size announced in Content-Length; fewer is a failed download, not a short file.
   */
  const stream = async (
    script: string,
    { okCodes = [0], bytes }: { okCodes?: number[]; bytes?: number } = {},
  ): Promise<ReadableStream<Uint8Array>> => {
    let child: ExecChild;
    try {
      child = await target.executor.start(script);
    } catch (err) {
      if (err instanceof ExecError) throw new AppError("unavailable", err.message);
      throw err;
    }
    child.stdin.end();
    child.stderr.resume();
    void child.closed.then(() => child.detach());
    const web = Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>;
    let sent = 0;
    // A reader that goes away lets go of the channel; the producer (cat, tar) then meets a closed
    // pipe and ends. A producer that fails midway (killed, the link lost) errors the stream, so
    // the response is cut off and the browser says the download failed: a gzip trailer written
    // after tar died would otherwise end it like a whole archive.
    return web.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
        async flush(controller) {
          const exit = await child.exit;
          child.detach();
          if (exit.code === null || !okCodes.includes(exit.code))
            controller.error(
              new Error(
                `the target stopped sending (${exit.lost ? "link lost" : (exit.signal ?? `exit ${exit.code}`)})`,
              ),
            );
          else if (bytes !== undefined && sent !== bytes)
            controller.error(new Error(`the target sent ${sent} of ${bytes} bytes`));
        },
      }),
    );
  };

  return {
    async list(ideaId, rawPath) {
      const rel = relativePath(rawPath);
      const out = await resolved(ideaId, rel, "-d", [
        `cd "$t" && find . -mindepth 1 -maxdepth 1 -printf '%y\\t%s\\t%T@\\t%f\\0' | head -z -n ${FILE_LIST_MAX + 1}`,
      ]);
      const records = out.split("\0").filter((r) => r !== "");
      const entries = records.slice(0, FILE_LIST_MAX).flatMap((rec): FileEntry[] => {
        const [type = "", size = "0", mtime = "0", ...name] = rec.split("\t");
        return [
          {
            name: name.join("\t"),
            type: typeOf[type] ?? "other",
            size: Number(size) || 0,
            mtime: Math.round(Number(mtime) * 1000) || 0,
          },
        ];
      });
      entries.sort((a, b) =>
        a.type === "dir" && b.type !== "dir"
          ? -1
          : b.type === "dir" && a.type !== "dir"
            ? 1
            : a.name.localeCompare(b.name),
      );
      return { path: rel, entries, truncated: records.length > FILE_LIST_MAX };
    },

    async read(ideaId, rawPath) {
      const rel = relativePath(rawPath);
      const out = await resolved(ideaId, rel, "-f", [
        `stat -c %s -- "$t"`,
        `head -c ${FILE_TEXT_MAX_BYTES} -- "$t" | base64 -w0`,
      ]);
      const nl = out.indexOf("\n");
      const size = Number(out.slice(0, nl));
      const bytes = Buffer.from(out.slice(nl + 1).trim(), "base64");
      const truncated = size > bytes.length;
      const binary = looksBinary(bytes);
      return {
        path: rel,
        size,
        content: binary ? null : bytes.toString("utf8"),
        binary,
        truncated,
      };
    },

    async raw(ideaId, rawPath) {
      const rel = relativePath(rawPath);
      if (rel === "") throw new AppError("bad_request", "path must name a file");
      const size = Number((await resolved(ideaId, rel, "-f", [`stat -c %s -- "$t"`])).trim());
      if (!Number.isSafeInteger(size) || size < 0)
        throw new AppError("unavailable", `the target gave no size for ${rel}`);
      // Resolved again by the streaming script: the check above and the read are two commands.
      // Never more than Content-Length (a growing log would corrupt the connection's next
      // response); fewer fails the download in the stream.
      const body = await stream(
        [
          ...enterProjectLines(target, ideaId),
          ...resolveLines(rel),
          `[ -f "$t" ] || exit ${WRONG_KIND_EXIT}`,
          `exec head -c ${size} -- "$t"`,
        ].join("\n"),
        { bytes: size },
      );
      return { path: rel, size, body };
    },

    async archive(ideaId) {
      await resolved(ideaId, "", "-d", []);
      const body = await stream(
        [
          ...enterProjectLines(target, ideaId),
          // An unreadable file is left out with a warning, as before, rather than failing it all.
          `exec tar -czf - --ignore-failed-read --exclude=./.git -C "$root" .`,
        ].join("\n"),
        { okCodes: [0, 1] },
      );
      return { body, size: null };
    },
  };
}

/** NUL bytes, or text that is not mostly valid UTF-8 (a cut at the cap may split one character). */
export function looksBinary(bytes: Buffer): boolean {
  if (bytes.includes(0)) return true;
  const text = bytes.toString("utf8");
  let bad = 0;
  for (const ch of text) if (ch === "\uFFFD") bad++;
  return bad > 4 && bad > text.length / 100;
}
