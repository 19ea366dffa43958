// An idea's approvals: its policy (meta.approvals, else BUILD_APPROVALS), what the policy answers on
// its own, and what an answer to a request that is not waiting gets (404 or 409).
import type {
  ApprovalsPolicy,
  IdeaMeta,
  PermissionAnswer,
  PermissionRequestEvent,
  RunMode,
} from "@catalyst/shared";
import { AppError } from "../http/app-error.js";
import type { IdeaStore } from "./store.js";

export function policyOf(meta: IdeaMeta, fallback: ApprovalsPolicy): ApprovalsPolicy {
  return meta.approvals ?? fallback;
}

/** The meta as the API shows it: the policy always filled in. */
export function withPolicy(meta: IdeaMeta, fallback: ApprovalsPolicy): IdeaMeta {
  return { ...meta, approvals: policyOf(meta, fallback) };
}

/**
 * `auto` allows every tool call of a build, once (a rule kept for later would outlive the policy).
 * A question only a person can answer (AskUserQuestion) is never the policy's, and neither is a
 * chat's request: chat asks only about reads the flags do not cover (outside the project), which
 * a chat could never do before; answering those unattended would widen it.
 */
export function policyAnswer(
  policy: ApprovalsPolicy,
  mode: RunMode,
  request: PermissionRequestEvent,
): PermissionAnswer | null {
  if (policy !== "auto" || mode !== "build" || request.requiresUserInteraction) return null;
  return { decision: "allow", scope: "once" };
}

/** A request no run is waiting on: answered already (409) if the transcript has it, else 404. */
export async function notWaitingError(
  store: IdeaStore,
  ideaId: string,
  requestId: string,
): Promise<AppError> {
  let known = false;
  // Read as a stream (memory stays flat); a request is rare, a transcript may be long.
  for await (const e of store.events(ideaId, 0)) {
    if (e.event.type === "permission_request" && e.event.requestId === requestId) {
      known = true;
      break;
    }
  }
  return known
    ? new AppError("already_answered", "this request was already answered")
    : new AppError("not_found", "no such permission request for this idea");
}
