// Where things live on the target, as shell words: REMOTE_ROOT's project, account and run folders.
import { ideaIdSchema } from "@catalyst/shared";
import { shellQuote } from "../exec/shell-quote.js";

/** What a run id may look like: it is written into shell scripts and matched by sweeps. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `~` and `~/x` become `"$HOME"/'x'`; anything else is quoted as it is. */
export function expandHome(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}

function rootExpr(remoteRoot: string): string {
  return expandHome(remoteRoot.replace(/\/+$/, "") || "/");
}

/** The idea's project folder on the target, as a shell expression. */
export function projectDirExpr(remoteRoot: string, ideaId: string): string {
  return `${rootExpr(remoteRoot)}/${shellQuote(`ideas/${ideaIdSchema.parse(ideaId)}/project`)}`;
}

/** The folder of the idea's run folders (run-folder.ts). */
export function runsDirExpr(remoteRoot: string, ideaId: string): string {
  return `${rootExpr(remoteRoot)}/${shellQuote(`ideas/${ideaIdSchema.parse(ideaId)}/runs`)}`;
}

/** One run's folder: its input FIFO, output files and exit status (run-folder.ts). */
export function runDirExpr(remoteRoot: string, ideaId: string, runId: string): string {
  return `${runsDirExpr(remoteRoot, ideaId)}/${shellQuote(checkRunId(runId))}`;
}

export function checkRunId(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`not a valid run id: ${JSON.stringify(runId)}`);
  return runId;
}

/** The owner-only folder of the account's key on the target (`account` under REMOTE_ROOT). */
export function accountDirExpr(remoteRoot: string): string {
  return `${rootExpr(remoteRoot)}/${shellQuote("account")}`;
}

/** The owner-only file of the account's key, NAME=<base64> lines (secret-env.ts's envLines). */
export function accountEnvFileExpr(remoteRoot: string): string {
  return `${accountDirExpr(remoteRoot)}/${shellQuote("env")}`;
}
