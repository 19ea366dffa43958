// Finds processes on this machine (the sshd target is 127.0.0.1) that belong to a run.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  cmdline: string;
  cwd: string | null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/**
 * Processes whose environment carries the run's marker (the runner exports CATALYST_RUN_ID to
 * everything it starts) or whose working folder is under `dir` (the idea's project folder).
 */
export function processesOf(runId: string, dir: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const environ = read(`/proc/${name}/environ`);
    const cwd = readLink(`/proc/${name}/cwd`);
    const marked = environ?.split("\0").includes(`CATALYST_RUN_ID=${runId}`) ?? false;
    if (marked || (cwd !== null && cwd.startsWith(dir))) {
      const cmdline = (read(`/proc/${name}/cmdline`) ?? "").split("\0").join(" ").trim();
      // A zombie has no cmdline and holds nothing: it is not left running.
      if (cmdline !== "") out.push({ pid: Number(name), cmdline, cwd });
    }
  }
  return out;
}
