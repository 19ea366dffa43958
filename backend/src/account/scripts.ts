// The shell scripts the account feature runs on the target. None holds a secret: keys and the
// CLI's environment travel on stdin (secret-env.ts), because a script is an argv there.
import { shellQuote } from "../exec/shell-quote.js";
import { exportEnvLines, readEnvHeaderLines } from "../runs/secret-env.js";
import {
  accountDirExpr,
  accountEnvFileExpr,
  binExpr,
  loginPathLines,
} from "../runs/wrapper-script.js";

export interface CliPlace {
  claudeBin: string;
  remoteRoot: string;
}

/** `auth status` and `auth logout` are local to the target: they get this long. */
export const CLI_TIMEOUT_S = 20;
/** Printed when the CLI is not on the target's PATH (exit 127). */
export const NO_CLI = "__CATALYST_NO_CLI__";
/** Printed by a PTY script once the terminal no longer echoes: the header may be typed now. */
export const PTY_READY = "__CATALYST_PTY_READY__";

/** Lines that find the CLI, then export CLAUDE_ENV (already read) and the stored key. */
function cliLines(p: CliPlace): string[] {
  const bin = binExpr(p.claudeBin);
  return [
    ...loginPathLines(),
    `command -v ${bin} >/dev/null 2>&1 || { printf '%s\\n' ${shellQuote(NO_CLI)}; exit 127; }`,
    ...exportEnvLines(accountEnvFileExpr(p.remoteRoot)),
  ];
}

/**
 * `claude <words>` with the run's environment, its secrets read from stdin (envHeader first).
 * The CLI's own stdin is empty: these commands ask nothing.
 */
export function cliCommandScript(p: CliPlace, words: readonly string[]): string {
  return [
    ...readEnvHeaderLines(),
    ...cliLines(p),
    // A CLI that hangs ends on its own: closing our end would not stop it on an SSH target.
    `t=; command -v timeout >/dev/null 2>&1 && t="timeout ${CLI_TIMEOUT_S}"`,
    `exec $t ${binExpr(p.claudeBin)} ${words.map(shellQuote).join(" ")} </dev/null 2>&1`,
    "",
  ].join("\n");
}

/**
 * `claude <words>` on a terminal. A terminal echoes what is typed, so the header is only typed
 * after the script turned echo off and said so (PTY_READY); echo is back on for the CLI. Line
 * editing is off for the header too: it keeps only 4095 bytes of a line, and a long value was cut.
 */
export function cliPtyScript(p: CliPlace, words: readonly string[]): string {
  return [
    `stty -echo -icanon min 1 time 0 2>/dev/null; printf '%s\\n' ${shellQuote(PTY_READY)}`,
    ...readEnvHeaderLines(),
    `stty echo icanon 2>/dev/null`,
    ...cliLines(p),
    `exec ${binExpr(p.claudeBin)} ${words.map(shellQuote).join(" ")}`,
    "",
  ].join("\n");
}

/**
 * Replaces the stored key file with what comes on stdin: umask 077 before anything exists, the
 * folder forced to 0700, written beside and renamed so a reader never sees half a file.
 */
export function storeKeyScript(remoteRoot: string): string {
  const dir = accountDirExpr(remoteRoot);
  return [
    `umask 077`,
    `d=${dir}`,
    `mkdir -p "$d" && chmod 700 "$d" || exit 1`,
    `cat > "$d/env.tmp" && chmod 600 "$d/env.tmp" && mv -f "$d/env.tmp" ${accountEnvFileExpr(remoteRoot)}`,
    "",
  ].join("\n");
}

export function removeKeyScript(remoteRoot: string): string {
  return `rm -f ${accountEnvFileExpr(remoteRoot)} ${accountDirExpr(remoteRoot)}/'env.tmp'\n`;
}

/** Which variable the stored file holds (names only: the value never leaves the target). */
export function storedKindScript(remoteRoot: string): string {
  return `f=${accountEnvFileExpr(remoteRoot)}; [ -r "$f" ] && sed -n 's/=.*//p' "$f" || true\n`;
}
