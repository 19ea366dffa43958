// Where ideas' project folders live: the executor that reaches the target, and REMOTE_ROOT on it.
import { ExecError, type Executor, type SideResult } from "../exec/executor.js";
import { AppError } from "../http/app-error.js";
import { projectDirExpr } from "../runs/wrapper-script.js";

export interface ProjectTarget {
  executor: Executor;
  /** REMOTE_ROOT: ideas/<id>/project lives under it (`~/` is the target's home). */
  remoteRoot: string;
}

/** Shell lines that enter the idea's project folder (made if missing) and set `root` to its real path. */
export function enterProjectLines(target: ProjectTarget, ideaId: string): string[] {
  return [
    `d=${projectDirExpr(target.remoteRoot, ideaId)}`,
    `mkdir -p "$d" && cd "$d" || { echo "cannot enter the project folder" >&2; exit 90; }`,
    "root=$(pwd -P)",
  ];
}

/** Runs a side command; a target that cannot be reached is a 503 with the executor's sentence. */
export async function runOnTarget(
  target: ProjectTarget,
  script: string,
  timeoutMs = 30_000,
): Promise<SideResult> {
  try {
    return await target.executor.run(script, { timeoutMs });
  } catch (err) {
    if (err instanceof ExecError) throw new AppError("unavailable", err.message);
    throw err;
  }
}
