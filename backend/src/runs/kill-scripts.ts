// Side commands that stop a run on its target: signal its process group, sweep what is left.
import { RUN_ID_PATTERN } from "./wrapper-script.js";

/** Signals the whole process group; exit 0 when the group still existed. */
export function signalGroupScript(pgid: number, signal: "INT" | "KILL"): string {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`not a process group: ${pgid}`);
  return `kill -${signal} -${pgid} 2>/dev/null`;
}

/**
 * SIGKILLs the group and every process whose environment holds CATALYST_RUN_ID=<runId>: that
 * catches tool children that started their own session (setsid) and left the group.
 * Prints the number of processes it found by the marker.
 *
 * `verifyGroup`: the sweep comes long after the run (a dropped link), when the group's id may
 * belong to someone else by now: signal the group only if a process of the run is still in it.
 */
export function sweepScript(
  runId: string,
  pgid: number | null,
  opts: { verifyGroup?: boolean } = {},
): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`not a valid run id: ${runId}`);
  const groupKill = pgid === null ? null : signalGroupScript(pgid, "KILL");
  const verify = groupKill !== null && opts.verifyGroup === true;
  const lines = [];
  if (groupKill !== null && !verify) lines.push(groupKill);
  lines.push(
    "c=0",
    "own=",
    "seen=' '",
    // A process the run forked while a pass ran (the supervisor's last commands, a relay's) is
    // not in that pass's list: look again while a pass finds new ones (three passes at most).
    "for n in 1 2 3; do",
    "  k=0",
    // grep -z reads environ's NUL-separated entries as lines; -l names the matching files.
    `  for f in $(grep -lzx 'CATALYST_RUN_ID=${runId}' /proc/[0-9]*/environ 2>/dev/null); do`,
    "    p=${f#/proc/}; p=${p%/environ}",
    '    [ "$p" = "$$" ] && continue',
    '    case "$seen" in *" $p "*) continue ;; esac',
    '    seen="$seen$p "',
  );
  if (verify)
    lines.push(`    [ "$(ps -o pgid= -p "$p" 2>/dev/null | tr -d ' ')" = '${pgid}' ] && own=1`);
  lines.push(
    '    kill -KILL "$p" 2>/dev/null && k=$((k+1))',
    "  done",
    "  c=$((c+k))",
    '  [ "$k" -eq 0 ] && break',
    "done",
  );
  if (verify) lines.push(`if [ -n "$own" ]; then ${groupKill}; fi`);
  lines.push('echo "$c"');
  return lines.join("\n");
}

/**
 * Exit 0 while a live (non-zombie) process of the group, or one carrying the run's marker, exists.
 * Zombies count as gone: a container's init may be slow to reap them.
 */
export function aliveScript(runId: string, pgid: number | null): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`not a valid run id: ${runId}`);
  const lines = [];
  if (pgid !== null) {
    if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`not a process group: ${pgid}`);
    lines.push(
      `ps -eo pgid=,stat= | awk '$1 == ${pgid} && $2 !~ /^Z/ { f = 1 } END { exit !f }' && exit 0`,
    );
  }
  lines.push(
    `for f in $(grep -lzx 'CATALYST_RUN_ID=${runId}' /proc/[0-9]*/environ 2>/dev/null); do`,
    "  p=${f#/proc/}; p=${p%/environ}",
    '  case "$(ps -o stat= -p "$p" 2>/dev/null)" in Z*|"") ;; *) exit 0 ;; esac',
    "done",
    "exit 1",
  );
  return lines.join("\n");
}
