// Scripts that work on a run's folder on the target (REMOTE_ROOT/ideas/<id>/runs/<runId>/): relay
// input into its FIFO, follow its output files by byte offset, keep it alive, clean old ones up.
// The folder's layout and the supervisor that fills it: supervisor-script.ts.
import { shellQuote } from "../exec/shell-quote.js";
import { RUN_MARKER_NAME } from "./markers.js";
import { INPUT_ACK } from "./run-input.js";
import { RUN_FILES as F } from "./supervisor-script.js";
import { checkRunId, runDirExpr, runsDirExpr } from "./target-paths.js";

/** The input line that closes the run's input for good: never stream-json (no `{`). */
export const END_INPUT_LINE = "__CATALYST_END_INPUT__";

/** Exit status of a script given a run that has no folder on the target. */
export const NO_RUN_FOLDER = 3;
/** Exit status of an input relay when the run's input is closed already (or the run ended). */
export const INPUT_CLOSED = 4;

/**
 * A script that runs `body` in a shell carrying the run's marker, with `$r` set to the run's
 * folder. A shell's `export` reaches only what it starts, not its own /proc/<pid>/environ, which
 * is what sweeps read: so the shell that does the work is exec'd with the marker.
 */
export function markedScript(
  remoteRoot: string,
  ideaId: string,
  runId: string,
  body: readonly string[],
): string {
  return [
    `${RUN_MARKER_NAME}=${shellQuote(checkRunId(runId))}; export ${RUN_MARKER_NAME}`,
    `exec /bin/sh -c ${shellQuote(["r=$1", ...body, ""].join("\n"))} catalyst-run ${runDirExpr(remoteRoot, ideaId, runId)}`,
    "",
  ].join("\n");
}

/**
 * Shell lines that relay complete lines of stdin into the FIFO of the run in `$r` (run by a shell
 * carrying the run's marker). `read` drops an unterminated last line (a link cut mid-write), so
 * only whole lines reach the CLI. The FIFO is opened read-write first so the write-only open
 * cannot block, and only the write end is kept: once the run's readers are gone a write fails
 * (EPIPE) instead of waiting forever. Each line put into the FIFO (and the end line) is confirmed
 * by one INPUT_ACK byte on stdout: the server sends the unconfirmed ones again after a drop.
 */
export function relayLines(): string[] {
  const me = `"$r/${F.relayPrefix}$$"`;
  const ack = `printf '\\${INPUT_ACK.toString(8).padStart(3, "0")}'`;
  return [
    `{ [ ! -e "$r/${F.exit}" ] && [ ! -e "$r/${F.inputClosed}" ] && command exec 5<>"$r/${F.input}" 4>"$r/${F.input}" 5<&-; } 2>/dev/null || exit ${INPUT_CLOSED}`,
    // Registered, so END can close every other relay's write end too (one on a half-dead link
    // may stay connected for a long time). SIGTERM ends a relay between two lines, never inside
    // one: the trap runs once the write at hand is done.
    `: >${me}; trap 'rm -f ${me}' EXIT; trap 'exit 0' TERM`,
    `while IFS= read -r catalyst_l; do`,
    `  if [ "$catalyst_l" = ${shellQuote(END_INPUT_LINE)} ]; then`,
    `    : >"$r/${F.inputClosed}"`,
    `    for f in "$r"/${F.relayPrefix}*; do`,
    `      p=\${f##*/${F.relayPrefix}}; [ "$p" = "$$" ] && continue`,
    `      grep -qzx "${RUN_MARKER_NAME}=$${RUN_MARKER_NAME}" "/proc/$p/environ" 2>/dev/null && kill "$p" 2>/dev/null`,
    `      rm -f "$f"`,
    `    done`,
    // The holder's write end is the last that stays: once it is gone (and the relays'), the
    // CLI reads what is left in the FIFO, then EOF.
    `    [ -e "$r/${F.exit}" ] || { h=$(cat "$r/${F.holder}" 2>/dev/null) && [ -n "$h" ] && kill "$h" 2>/dev/null; }`,
    `    ${ack}; exit 0`,
    `  fi`,
    `  printf '%s\\n' "$catalyst_l" >&4 || exit 1`,
    `  ${ack}`,
    `done`,
    `exit 0`,
  ];
}

/**
 * Relays complete lines from stdin into the run's input. Channel EOF does not close the input;
 * END_INPUT_LINE does. Exit 3: no run folder; 4: the input is closed already or the run ended.
 */
export function inputScript(remoteRoot: string, ideaId: string, runId: string): string {
  return markedScript(remoteRoot, ideaId, runId, [
    `[ -d "$r" ] || exit ${NO_RUN_FOLDER}`,
    ...relayLines(),
  ]);
}

function offset(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a byte offset: ${n}`);
  return n;
}

/**
 * stdout: the bytes of out.ndjson from `from.out` on; stderr: those of err.log from `from.err`;
 * following until the run has ended (its exit status is written, or its supervisor is gone) and
 * everything written before was sent, then exit 0. Exit 3 when there is no run folder. Nothing
 * else is written: the byte offsets the server counts stay exact.
 */
export function followScript(
  remoteRoot: string,
  ideaId: string,
  runId: string,
  from: { out: number; err: number },
): string {
  // tail's own complaints go nowhere: its stdout or stderr carries the file's bytes only.
  const tail = (file: string, at: number, to: string) =>
    `tail -c +${offset(at) + 1} -s 0.2 -f --pid="$w" "$r/${file}" ${to}2>/dev/null`;
  return markedScript(remoteRoot, ideaId, runId, [
    `[ -d "$r" ] || exit ${NO_RUN_FOLDER}`,
    // Lives while the run does; `tail --pid` reads what is left once it is gone, then ends.
    `( s=; n=0`,
    `  while [ ! -e "$r/${F.exit}" ] && [ -d "$r" ]; do`,
    `    if [ -z "$s" ]; then`,
    `      s=$(cat "$r/${F.supervisor}" 2>/dev/null)`,
    // A pid that is not the run's (reused after a reboot) is no supervisor.
    `      if [ -n "$s" ]; then grep -qzx "${RUN_MARKER_NAME}=$${RUN_MARKER_NAME}" "/proc/$s/environ" 2>/dev/null || exit 0`,
    `      else n=$((n+1)); [ $n -lt 150 ] || exit 0; fi`,
    `    else kill -0 "$s" 2>/dev/null || exit 0; fi`,
    `    sleep 0.2`,
    `  done ) </dev/null >/dev/null 2>&1 &`,
    `w=$!`,
    // When one stream ends first (its channel is gone), the other ends too.
    `{ ${tail(F.out, from.out, "")}; kill "$w" 2>/dev/null; } &`,
    `{ ${tail(F.err, from.err, ">&2 ")}; kill "$w" 2>/dev/null; } &`,
    `wait`,
    `exit 0`,
  ]);
}

/** Tells the run's supervisor that a server still follows it. Exit 3 when there is no folder. */
export function heartbeatScript(remoteRoot: string, ideaId: string, runId: string): string {
  return [
    `r=${runDirExpr(remoteRoot, ideaId, runId)}`,
    `[ -d "$r" ] || exit ${NO_RUN_FOLDER}`,
    `touch "$r/${F.heartbeat}"`,
    "",
  ].join("\n");
}

/** A run folder this many minutes old without a supervisor was left by a launch that stopped. */
const LAUNCH_LEFTOVER_MIN = 2;

/**
 * Removes the idea's run folders that have ended (an exit status, or their supervisor is gone:
 * orphaned, killed, or never started: a launch that stopped halfway), except
 * `keepRunIds` (the last run's stays for debugging). Running runs are never touched.
 */
export function cleanupScript(
  remoteRoot: string,
  ideaId: string,
  keepRunIds: readonly string[],
): string {
  const keep = keepRunIds.map((id) => shellQuote(checkRunId(id)));
  return [
    `R=${runsDirExpr(remoteRoot, ideaId)}`,
    `[ -d "$R" ] || exit 0`,
    // `.new-<runId>`: a launch cut before its folder was complete.
    `for r in "$R"/* "$R"/.new-*; do`,
    `  [ -d "$r" ] || continue`,
    ...(keep.length > 0 ? [`  case \${r##*/} in ${keep.join("|")}) continue;; esac`] : []),
    `  if [ -e "$r/${F.exit}" ]; then rm -rf "$r"; continue; fi`,
    // A launch cancelled or cut between making the folder and starting its supervisor (which
    // names itself first thing): nothing will ever write an exit status there. Only an old one,
    // not a launch at that very moment.
    `  if [ ! -s "$r/${F.supervisor}" ]; then`,
    `    [ -n "$(find "$r" -maxdepth 0 -mmin +${LAUNCH_LEFTOVER_MIN} 2>/dev/null)" ] && rm -rf "$r"`,
    `    continue`,
    `  fi`,
    // Orphaned or killed before it could write its exit status: its supervisor is gone.
    `  s=$(cat "$r/${F.supervisor}" 2>/dev/null) && [ -n "$s" ] || continue`,
    `  grep -qzx "${RUN_MARKER_NAME}=\${r##*/}" "/proc/$s/environ" 2>/dev/null || rm -rf "$r"`,
    `done`,
    "",
  ].join("\n");
}
