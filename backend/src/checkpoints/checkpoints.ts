// A build run's checkpoints on the target (before and after it), its changes, and their revert.
import type { ChangedFile, RevertResult, RunChanges } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import { AppError } from "../http/app-error.js";
import { enterProjectLines, runOnTarget, type ProjectTarget } from "../files/project-target.js";
import {
  changesScript,
  checkpointScript,
  NO_CHECKPOINT_EXIT,
  NO_GIT_EXIT,
  revertScript,
  type Checkpoint,
} from "./git-scripts.js";

/** The run service's port: snapshot the project around a build run. Never throws. */
export interface RunCheckpoints {
  mark(ideaId: string, runId: string, which: Checkpoint): Promise<void>;
}

export interface Checkpoints extends RunCheckpoints {
  changes(ideaId: string, runId: string): Promise<RunChanges>;
  revert(ideaId: string, runId: string): Promise<RevertResult>;
}

/** The patch is cut here (the file list is always whole). */
export const PATCH_MAX_BYTES = 512 * 1024;
/** Snapshotting a big folder takes a while; more than this and the run goes on without it. */
const GIT_TIMEOUT_MS = 120_000;

export function createCheckpoints(target: ProjectTarget, logger: Logger): Checkpoints {
  // One git script at a time per idea: a build started while a revert is still putting files back
  // would snapshot (and then edit) a half-reverted folder; its 'before' waits, and the run with it.
  const queues = new Map<string, Promise<unknown>>();
  const inTurn = <T>(ideaId: string, fn: () => Promise<T>): Promise<T> => {
    const next = (queues.get(ideaId) ?? Promise.resolve()).then(fn);
    const tail = next.catch(() => {});
    queues.set(ideaId, tail);
    void tail.then(() => {
      if (queues.get(ideaId) === tail) queues.delete(ideaId);
    });
    return next;
  };

  const git = async (ideaId: string, runId: string, script: string) => {
    const r = await inTurn(ideaId, () =>
      runOnTarget(
        target,
        [...enterProjectLines(target, ideaId), script].join("\n"),
        GIT_TIMEOUT_MS,
      ),
    );
    if (r.code === NO_CHECKPOINT_EXIT)
      throw new AppError(
        "not_found",
        `run ${runId} has no changes recorded (not a build run, or it is still going)`,
      );
    if (r.code === NO_GIT_EXIT)
      throw new AppError("unavailable", "git is not installed on the target");
    if (r.code !== 0)
      throw new AppError(
        "unavailable",
        `git failed on the target: ${r.stderr.trim().slice(0, 500)}`,
      );
    return r.stdout;
  };

  return {
    async mark(ideaId, runId, which) {
      try {
        await git(ideaId, runId, checkpointScript(runId, which));
      } catch (err) {
        // The run matters more than its diff: it goes on, and its changes say they are missing.
        logger.warn("could not record a run checkpoint", {
          ideaId,
          runId,
          which,
          error: String(err),
        });
      }
    },

    async changes(ideaId, runId) {
      const out = await git(ideaId, runId, changesScript(runId, PATCH_MAX_BYTES));
      const [status = "", rest = ""] = splitOnce(out, "\n__CATALYST_NUMSTAT__\n");
      const [numstat = "", patch = ""] = splitOnce(rest, "\n__CATALYST_PATCH__\n");
      const truncated = Buffer.byteLength(patch) > PATCH_MAX_BYTES;
      return {
        runId,
        files: parseChanges(status, numstat),
        patch: truncated ? cutUtf8(patch, PATCH_MAX_BYTES) : patch,
        truncated,
      };
    },

    async revert(ideaId, runId) {
      const out = await git(ideaId, runId, revertScript(runId));
      return { runId, restored: Number(out.trim()) || 0 };
    },
  };
}

function splitOnce(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i === -1 ? [s, ""] : [s.slice(0, i), s.slice(i + sep.length)];
}

function cutUtf8(s: string, maxBytes: number): string {
  return Buffer.from(s)
    .subarray(0, maxBytes)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
}

const statusOf: Record<string, ChangedFile["status"]> = {
  A: "added",
  M: "modified",
  T: "modified",
  D: "deleted",
  R: "renamed",
  C: "added",
};

/** git's `--name-status -z` and `--numstat -z` output, joined by path. */
export function parseChanges(nameStatus: string, numstat: string): ChangedFile[] {
  const counts = new Map<string, { additions: number; deletions: number; binary: boolean }>();
  const ns = numstat.split("\0");
  for (let i = 0; i < ns.length; i++) {
    const head = ns[i] ?? "";
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(head);
    if (!m) continue;
    // A rename: the path is empty here and the two names follow.
    let path = m[3] ?? "";
    if (path === "") {
      path = ns[i + 2] ?? "";
      i += 2;
    }
    const binary = m[1] === "-";
    counts.set(path, {
      additions: binary ? 0 : Number(m[1]),
      deletions: binary ? 0 : Number(m[2]),
      binary,
    });
  }
  const files: ChangedFile[] = [];
  const parts = nameStatus.split("\0");
  for (let i = 0; i < parts.length;) {
    const code = parts[i++] ?? "";
    if (code === "") continue;
    const letter = code[0] ?? "";
    const status = statusOf[letter] ?? "modified";
    const oldPath = letter === "R" || letter === "C" ? parts[i++] : undefined;
    const path = parts[i++] ?? "";
    const count = counts.get(path) ?? { additions: 0, deletions: 0, binary: false };
    files.push({
      path,
      ...(oldPath !== undefined && letter === "R" ? { oldPath } : {}),
      status,
      ...count,
    });
  }
  return files;
}
