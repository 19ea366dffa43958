// A path the page asks for, relative to the project folder: refused early by its form, and again
// on the target by where it really leads (realpath), since a symlink can point anywhere.
import { AppError } from "../http/app-error.js";
import { shellQuote } from "../exec/shell-quote.js";

/** Exit codes of the resolve lines, turned into answers by `resolveFailure`. */
export const NOT_FOUND_EXIT = 91;
export const OUTSIDE_EXIT = 92;

/**
 * Normalizes "a/b/", "./a" and "" (the folder itself); refuses absolute paths, `..` segments,
 * backslashes and control characters with a 400 before anything reaches the target.
 */
export function relativePath(raw: string | undefined): string {
  const path = raw ?? "";
  if (path.length > 4096) throw new AppError("bad_request", "path is too long");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw new AppError("bad_request", "path contains a control character or a backslash");
  if (path.startsWith("/") || path.startsWith("~"))
    throw new AppError("bad_request", "path must be relative to the project folder");
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.includes(".."))
    throw new AppError("bad_request", "path must not contain '..' (it stays inside the project)");
  return parts.join("/");
}

/**
 * Shell lines (after enterProjectLines) that set `t` to the real path of `rel` and make sure it is
 * the project folder or inside it: every symlink along the way is followed by realpath first.
 */
export function resolveLines(rel: string): string[] {
  const target = rel === "" ? '"$root"' : `"$root"/${shellQuote(rel)}`;
  // -m resolves every symlink that exists without requiring the rest to: a path outside is
  // refused the same way whether or not it exists there (no probing the target's files).
  return [
    `t=$(realpath -m -- ${target} 2>/dev/null) || exit ${NOT_FOUND_EXIT}`,
    `case "$t" in "$root"|"$root"/*) ;; *) exit ${OUTSIDE_EXIT} ;; esac`,
    `[ -e "$t" ] || exit ${NOT_FOUND_EXIT}`,
  ];
}

/** The answer for a resolve failure, or null when the exit code is not one of them. */
export function resolveFailure(code: number | null, rel: string): AppError | null {
  if (code === NOT_FOUND_EXIT)
    return new AppError("not_found", `${rel || "."}: no such file or folder`);
  if (code === OUTSIDE_EXIT)
    return new AppError("forbidden", `${rel}: leads outside the project folder (a symlink)`);
  return null;
}
