// Side commands that stop a run on its target: signal its process group, sweep what is left.
import { runIdSchemaRegex } from "./wrapper-script.js";

/** Signals the whole process group; exit 0 when the group still existed. */
export function signalGroupScript(pgid: number, signal: "INT" | "KILL"): string {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new Error(`not a process group: ${pgid}`);
  return `kill -${signal} -${pgid} 2>/dev/null`;
}

/**
 * SIGKILLs the group and every process whose environment holds CATALYST_RUN_ID=<runId>: that
 * catches tool children that started their own session (setsid) and left the group.
 * Prints the number of processes it found by the marker.
 */
export function sweepScript(runId: string, pgid: number | null): string {
  if (!runIdSchemaRegex.test(runId)) throw new Error(`not a valid run id: ${runId}`);
  const lines = [];
  if (pgid !== null) lines.push(`${signalGroupScript(pgid, "KILL")}`);
  lines.push(
    "c=0",
    // grep -z reads environ's NUL-separated entries as lines; -l names the matching files.
    `for f in $(grep -lzx 'CATALYST_RUN_ID=${runId}' /proc/[0-9]*/environ 2>/dev/null); do`,
    "  p=${f#/proc/}; p=${p%/environ}",
    '  [ "$p" = "$$" ] || { kill -KILL "$p" 2>/dev/null && c=$((c+1)); }',
    "done",
    'echo "$c"',
  );
  return lines.join("\n");
}

/**
 * Exit 0 while a live (non-zombie) process of the group, or one carrying the run's marker, exists.
 * Zombies count as gone: a container's init may be slow to reap them.
 */
export function aliveScript(runId: string, pgid: number | null): string {
  if (!runIdSchemaRegex.test(runId)) throw new Error(`not a valid run id: ${runId}`);
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
