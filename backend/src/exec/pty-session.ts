// What both PTY adapters share: the marker every process of a PTY program carries, the script
// that ends them all, and the output stream a PTY program's bytes go through.
import { randomUUID } from "node:crypto";
import { constants } from "node:os";
import { PassThrough } from "node:stream";
import { shellQuote } from "./shell-quote.js";

/** The environment variable that marks every process a PTY program started. */
export const PTY_MARKER_NAME = "CATALYST_PTY_ID";

const ptyIdRegex = /^[a-f0-9-]{36}$/;

export function newPtyId(): string {
  return randomUUID();
}

/** The script as run on the PTY: the marker first, so everything it starts inherits it. */
export function markedPtyScript(ptyId: string, script: string): string {
  if (!ptyIdRegex.test(ptyId)) throw new Error(`not a PTY id: ${ptyId}`);
  return `${PTY_MARKER_NAME}=${shellQuote(ptyId)}; export ${PTY_MARKER_NAME}\n${script}`;
}

/**
 * SIGKILLs every process carrying the PTY's marker and every member of their sessions (an
 * interactive shell puts each job in a process group of its own, so a group kill is not enough;
 * a program that cleared its environment is still in the session). A PTY program leads its own
 * session, so the session is exactly what it started, plus whatever left by `setsid`, which the
 * marker catches. Repeated, since a process may fork between the listing and the kill. Prints
 * how many processes were signalled.
 */
export function ptyStopScript(ptyId: string): string {
  if (!ptyIdRegex.test(ptyId)) throw new Error(`not a PTY id: ${ptyId}`);
  return [
    "c=0",
    "for pass in 1 2 3; do",
    "  pids=; sids=",
    `  for f in $(grep -lzx '${PTY_MARKER_NAME}=${ptyId}' /proc/[0-9]*/environ 2>/dev/null); do`,
    "    p=${f#/proc/}; p=${p%/environ}",
    '    [ "$p" = "$$" ] && continue',
    '    pids="$pids $p"',
    `    s=$(ps -o sid= -p "$p" 2>/dev/null | tr -d ' ')`,
    '    [ -n "$s" ] && [ "$s" -gt 1 ] && sids="$sids $s"',
    "  done",
    '  [ -z "$pids" ] && break',
    "  for s in $(printf '%s\\n' $sids | sort -u); do",
    `    pids="$pids $(ps -eo pid=,sid= | awk -v s="$s" '$2 == s { printf "%s ", $1 }')"`,
    "  done",
    "  for p in $pids; do",
    '    [ "$p" = "$$" ] && continue',
    '    kill -KILL "$p" 2>/dev/null && c=$((c+1))',
    "  done",
    "done",
    'echo "$c"',
  ].join("\n");
}

/** `SIGHUP` for 1: node-pty reports signals by number, the rest of the backend by name. */
export function signalName(signal: number | undefined): string | null {
  if (!signal) return null;
  const entry = Object.entries(constants.signals).find(([, n]) => n === signal);
  return entry ? entry[0] : `SIG${signal}`;
}

/** The stream a PTY program's bytes go through; `pause`/`resume` reach the source. */
export function makePtyOutput(flow: { pause(): void; resume(): void }): {
  output: PassThrough;
  push(chunk: Buffer): void;
} {
  const output = new PassThrough();
  output.on("drain", () => flow.resume());
  return {
    output,
    push(chunk) {
      if (output.writableEnded) return;
      if (!output.write(chunk)) flow.pause();
    },
  };
}

/** Waits for the program's end, but not forever: a stop must return even if the link hangs. */
export function settleWithin(exit: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void exit.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
