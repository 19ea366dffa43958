// Where an idea stands (meta.status): "building" only while a build runs, then how it ended.
import type { IdeaStatus, RunMode, RunOutcome } from "@catalyst/shared";

/** The status while a run goes: a build is "building"; a first chat moves "captured" on. */
export function statusAtStart(current: IdeaStatus, mode: RunMode): IdeaStatus {
  if (mode === "build") return "building";
  return current === "captured" ? "chatting" : current;
}

/**
 * The status once a build is over: "built" when it completed (an error result, such as the turn
 * limit, is not completed), back to what it was when the person cancelled it, else
 * "build_failed". `outcome` is null when the build never reported an end (it could not start).
 */
export function statusAfterBuild(
  before: IdeaStatus,
  outcome: RunOutcome | null,
  errorResult: boolean,
): IdeaStatus {
  if (outcome === "completed" && !errorResult) return "built";
  if (outcome === "cancelled") return before === "building" ? "chatting" : before;
  return "build_failed";
}
