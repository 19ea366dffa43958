// The run's supervisor on the target: it holds the input FIFO open, runs the CLI as the leader of
// its own process group, writes the exit status when the CLI ends, and ends a run nobody follows.
import { RUN_MARKER_NAME } from "./markers.js";

/** A run whose heartbeat is older than this is ended by its supervisor (`orphaned`). */
export const ORPHAN_TIMEOUT_MS = 30 * 60_000;
/** After the orphan SIGINT, how long the CLI's group has before SIGKILL. */
const ORPHAN_GRACE_S = 10;

/** The file names in a run folder (docs/runs-and-ssh.md). */
export const RUN_FILES = {
  input: "in",
  out: "out.ndjson",
  err: "err.log",
  pgid: "pgid",
  exit: "exit",
  heartbeat: "heartbeat",
  orphaned: "orphaned",
  supervisor: "supervisor",
  holder: "holder",
  inputClosed: "in.closed",
  /** `relay.<pid>`: one per input relay while it is connected. */
  relayPrefix: "relay.",
} as const;

export function orphanTimeoutSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A script for `setsid -f /bin/sh -c <it> catalyst-supervisor <run folder> <cli> <args...>`, run
 * with the run's marker and the CLI's environment already exported. Not started as an
 * asynchronous command of a shell: those have SIGINT ignored, which the CLI would inherit (an
 * ignored signal stays ignored across exec, and a shell cannot reset it), so a cancel's SIGINT
 * would not reach it.
 */
export function supervisorScript(orphanTimeoutS: number): string {
  if (!Number.isInteger(orphanTimeoutS) || orphanTimeoutS < 1)
    throw new Error(`not an orphan timeout: ${orphanTimeoutS}`);
  const pollS = Math.max(1, Math.min(60, Math.floor(orphanTimeoutS / 10)));
  const f = RUN_FILES;
  return [
    `r=$1; shift`,
    `printf '%s\\n' "$$" >"$r/${f.supervisor}.tmp" && mv -f "$r/${f.supervisor}.tmp" "$r/${f.supervisor}" || exit 1`,
    // The holder keeps the FIFO open for writing (and reading, so opening it never blocks), so
    // input channels can come and go without the CLI seeing EOF. The group's redirection closes
    // the supervisor's own copy right away: only the holder has it.
    `{ sleep 2147483647 & printf '%s\\n' "$!" >"$r/${f.holder}"; } 3<>"$r/${f.input}"`,
    // The watchdog: a run whose server stopped following (heartbeat too old) is ended.
    `( while sleep ${pollS}; do`,
    `  h=$(date -r "$r/${f.heartbeat}" +%s%3N 2>/dev/null) || h=0`,
    `  [ $(( $(date +%s%3N) - h )) -lt ${orphanTimeoutS * 1000} ] && continue`,
    `  : >"$r/${f.orphaned}"`,
    `  g=$(cat "$r/${f.pgid}" 2>/dev/null)`,
    `  if [ -n "$g" ]; then`,
    `    kill -INT -"$g" 2>/dev/null`,
    `    i=0; while [ $i -lt ${ORPHAN_GRACE_S} ] && kill -0 -"$g" 2>/dev/null; do sleep 1; i=$((i+1)); done`,
    `    kill -KILL -"$g" 2>/dev/null`,
    `  fi`,
    // Then every other process of the run (tool children in their own session, relays,
    // followers), but not this group: the supervisor still has to write the exit status.
    `  for f in $(grep -lzx "${RUN_MARKER_NAME}=$${RUN_MARKER_NAME}" /proc/[0-9]*/environ 2>/dev/null); do`,
    `    p=\${f#/proc/}; p=\${p%/environ}`,
    `    [ "$(ps -o pgid= -p "$p" 2>/dev/null | tr -d ' ')" = "$$" ] || kill -KILL "$p" 2>/dev/null`,
    `  done`,
    `  exit 0`,
    `done ) &`,
    `w=$!`,
    // In the foreground, so SIGINT keeps its default disposition. setsid (not a group leader
    // here, so it does not fork) makes this pid the leader of a new group, reported once it is.
    `setsid /bin/sh -c 'printf "%s\\n" "$$" >"$1/${f.pgid}.tmp" && mv -f "$1/${f.pgid}.tmp" "$1/${f.pgid}" || exit 126; shift; exec "$@"' catalyst-cli "$r" "$@" <"$r/${f.input}" >>"$r/${f.out}" 2>>"$r/${f.err}"`,
    `s=$?`,
    `[ -e "$r/${f.orphaned}" ] && wait "$w"`,
    // No new writer can open the input now; one that has gets EPIPE once the holder is gone.
    `rm -f "$r/${f.input}"`,
    `printf '%s\\n' "$s" >"$r/${f.exit}.tmp" && mv -f "$r/${f.exit}.tmp" "$r/${f.exit}"`,
    // The holder, the watchdog and its sleep, and this shell: the whole group.
    `kill -KILL 0`,
    "",
  ].join("\n");
}
