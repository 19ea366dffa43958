// What of a run is still alive, read straight from /proc: the test sshd and the local executor are
// both on this machine, so a process of the run on the target is a process here.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";
import { RUN_MARKER_NAME } from "../src/runs/markers.js";

/** Pids (zombies excluded) whose environment carries `CATALYST_RUN_ID=<runId>`. */
export function runProcesses(runId: string): number[] {
  const marker = `${RUN_MARKER_NAME}=${runId}`;
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "utf8").split("\0");
      if (!env.includes(marker)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      if (state !== "Z") found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/**
 * Kills (SIGKILL) every process of the runs that have a process working in `dir` or naming it in
 * its command line: what a failed test left behind, which would otherwise wait for its orphan
 * timeout. Returns how many it killed.
 */
export function killRunsUnder(dir: string): number {
  const runIds = new Set<string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const runId = readFileSync(`/proc/${entry}/environ`, "utf8")
        .split("\0")
        .find((v) => v.startsWith(`${RUN_MARKER_NAME}=`))
        ?.slice(RUN_MARKER_NAME.length + 1);
      if (!runId) continue;
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cwd.startsWith(dir) || cmd.includes(dir)) runIds.add(runId);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  let killed = 0;
  for (const runId of runIds) {
    for (const pid of runProcesses(runId)) {
      try {
        process.kill(pid, "SIGKILL");
        killed++;
      } catch {
        // Already gone.
      }
    }
  }
  return killed;
}

/** Polls until no process of the run is left; returns what is still alive after `timeoutMs`. */
export async function runProcessesAfter(runId: string, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = runProcesses(runId);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
