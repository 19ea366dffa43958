// The real scripts of a run (wrapper-script.ts, run-folder.ts, run-status.ts) behind the RunScripts
// seam the supervisor uses.
import {
  cleanupScript,
  END_INPUT_LINE,
  followScript,
  heartbeatScript,
  inputScript,
} from "./run-folder.js";
import type { RunScripts } from "./run-scripts.js";
import { parseRunStatus, statusScript } from "./run-status.js";
import { buildLaunchScript } from "./wrapper-script.js";

export const targetScripts: RunScripts = {
  launch: buildLaunchScript,
  follow: (r, from) => followScript(r.remoteRoot, r.ideaId, r.runId, from),
  input: (r) => inputScript(r.remoteRoot, r.ideaId, r.runId),
  status: (r) => statusScript(r.remoteRoot, r.ideaId, r.runId),
  parseStatus(stdout) {
    const parsed = parseRunStatus(stdout);
    if (!parsed.success) return null;
    const s = parsed.data;
    if (!s.folder)
      return {
        folder: false,
        pgid: null,
        exit: null,
        orphaned: false,
        alive: false,
        lastWriteMs: null,
        nowMs: null,
      };
    return { ...s, lastWriteMs: s.lastWriteMs > 0 ? s.lastWriteMs : null };
  },
  heartbeat: (r) => heartbeatScript(r.remoteRoot, r.ideaId, r.runId),
  cleanup: cleanupScript,
  endInputLine: END_INPUT_LINE,
};
