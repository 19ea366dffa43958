// A live session's control protocol (`--input-format stream-json --permission-prompt-tool stdio`):
// user lines in, can_use_tool requests out and their answers in, our interrupt request and its
// answer, the approval timeout, and when the input may close (every message has its result).
import type {
  ClaudeEvent,
  PermissionAnswer,
  PermissionAnsweredEvent,
  PermissionRequestEvent,
} from "@catalyst/shared";
import type { Clock } from "../clock.js";
import { allowRulesOf } from "../stream/map-control.js";
import type { RunInput } from "./run-input.js";

export type AnsweredBy = PermissionAnsweredEvent["by"];
export type AnswerResult = { ok: true } | { ok: false; reason: "unknown" | "answered" };

export interface ControlOptions {
  runId: string;
  clock: Clock;
  /** A request nobody answered is denied after this long. */
  approvalTimeoutMs: number;
  /** A permission_answered to record (the run puts it on its event queue). */
  answered(event: PermissionAnsweredEvent): void;
  /** Our interrupt was refused by the CLI: stop the process some other way. */
  interruptFailed(): void;
}

export interface ControlSession {
  /** Starts writing to the CLI; lines sent before this wait for it. */
  attach(input: RunInput): void;
  /** Writes a user message; false once the input has ended or is ending. */
  sendUser(text: string): boolean;
  /** Sees each decoded event of the CLI: requests, answers, results. */
  observe(event: ClaudeEvent): void;
  answer(requestId: string, answer: PermissionAnswer, by: AnsweredBy): AnswerResult;
  /**
   * Asks the CLI to stop the turn at hand; the input closes after its result. What waits, or is
   * asked from now on, is denied (`run_ended`). False: cannot (the input is closed).
   */
  interrupt(): boolean;
  /** Permission requests waiting for an answer. */
  readonly waiting: number;
  /** The run is over: every waiting request is recorded as ended, timers stop, the input closes. */
  close(): void;
  /** Requests an earlier server process left unanswered (an attach): answerable again. */
  restore(requests: readonly PermissionRequestEvent[]): void;
  /** The server lets go of a run that goes on: timers stop, nothing is answered or closed. */
  detach(): void;
}

const NOBODY_ANSWERED = (ms: number) =>
  `Nobody answered this request within ${Math.round(ms / 60_000)} min (APPROVAL_TIMEOUT_MS), so it was denied. Carry on without it, or ask again later.`;
const RUN_ENDED = "The run ended before anyone answered this request.";
const RUN_STOPPING =
  "The run is being stopped (cancelled or timed out), so this request was denied.";
const USER_DENIED = "The user denied this tool call.";

export function createControlSession(opts: ControlOptions): ControlSession {
  let input: RunInput | null = null;
  const early: string[] = [];
  /** Messages written and results seen: the input closes when they match. */
  let sent = 0;
  let results = 0;
  let interrupting: string | null = null;
  let interrupts = 0;
  let closing = false;
  /** A stop was asked for: nothing may be allowed from now on. */
  let stopping = false;
  const waiting = new Map<string, { request: PermissionRequestEvent; cancelTimer: () => void }>();
  const done = new Set<string>();

  const write = (value: unknown): boolean => {
    const line = JSON.stringify(value);
    if (input === null) {
      early.push(line);
      return true;
    }
    return input.send(line);
  };
  const endInput = () => {
    closing = true;
    input?.end();
  };

  const answer = (requestId: string, a: PermissionAnswer, by: AnsweredBy): AnswerResult => {
    const w = waiting.get(requestId);
    if (!w) return { ok: false, reason: done.has(requestId) ? "answered" : "unknown" };
    waiting.delete(requestId);
    done.add(requestId);
    w.cancelTimer();
    const { request } = w;
    const denyMessage = a.message?.trim() || USER_DENIED;
    const response =
      a.decision === "allow"
        ? {
            behavior: "allow",
            // Answers belong to a question; a tool's own input is passed on untouched.
            updatedInput:
              a.answers && request.requiresUserInteraction
                ? { ...request.input, answers: a.answers }
                : request.input,
            ...(a.scope === "always" ? keptPermissions(request.suggestions) : {}),
          }
        : { behavior: "deny", message: denyMessage };
    write({
      type: "control_response",
      response: { subtype: "success", request_id: requestId, response },
    });
    opts.answered({
      type: "permission_answered",
      runId: opts.runId,
      requestId,
      decision: a.decision,
      scope: a.scope,
      by,
      ...(a.decision === "deny" ? { message: denyMessage } : {}),
      ...(a.answers && request.requiresUserInteraction ? { answers: a.answers } : {}),
    });
    return { ok: true };
  };

  const denyWaiting = (message: string) => {
    for (const id of [...waiting.keys()]) {
      answer(id, { decision: "deny", scope: "once", message }, "run_ended");
    }
  };

  const onRequest = (request: PermissionRequestEvent) => {
    if (waiting.has(request.requestId) || done.has(request.requestId)) return;
    const cancelTimer = opts.clock.setTimer(opts.approvalTimeoutMs, () =>
      answer(
        request.requestId,
        { decision: "deny", scope: "once", message: NOBODY_ANSWERED(opts.approvalTimeoutMs) },
        "timeout",
      ),
    );
    waiting.set(request.requestId, { request, cancelTimer });
    // Asked before the CLI saw our interrupt: an answer now could only run what was stopped.
    if (stopping) denyWaiting(RUN_STOPPING);
  };

  return {
    attach(i) {
      input = i;
      for (const line of early.splice(0)) i.send(line);
      if (closing) i.end();
    },
    sendUser(text) {
      if (closing || input?.ended) return false;
      sent++;
      return write({ type: "user", message: { role: "user", content: text } });
    },
    observe(e) {
      switch (e.type) {
        case "permission_request":
          return onRequest(e);
        case "control_request":
          // Hooks, MCP and the like are not ours to serve; an error answer keeps the CLI going.
          write({
            type: "control_response",
            response: {
              subtype: "error",
              request_id: e.requestId,
              error: `Catalyst does not handle ${e.subtype} requests`,
            },
          });
          return;
        case "control_response":
          if (e.requestId !== null && e.requestId === interrupting) {
            interrupting = null;
            if (e.subtype !== "success") opts.interruptFailed();
          }
          return;
        case "result":
          // A subagent's result ends its task, not the turn a message waits for.
          if (e.parentToolUseId) return;
          results++;
          if (results >= sent || interrupts > 0) endInput();
          return;
      }
    },
    answer,
    interrupt() {
      // The person (or the policy) can no longer allow what waits; the CLI hears the deny first.
      stopping = true;
      denyWaiting(RUN_STOPPING);
      if (closing || input?.ended) return false;
      interrupts++;
      interrupting = `catalyst-interrupt-${interrupts}`;
      return write({
        type: "control_request",
        request_id: interrupting,
        request: { subtype: "interrupt" },
      });
    },
    get waiting() {
      return waiting.size;
    },
    close() {
      denyWaiting(RUN_ENDED);
      endInput();
    },
    restore(requests) {
      for (const r of requests) onRequest(r);
    },
    detach() {
      for (const w of waiting.values()) w.cancelTimer();
      waiting.clear();
    },
  };
}

/**
 * "Always allow" keeps exactly the allow rules the person was shown (the request's alwaysRules),
 * in the project's .claude/settings.local.json, where the CLI honours them for later runs in the
 * idea's folder. Nothing else the CLI suggests rides along unseen: no mode switch, no extra
 * directory, no rule in the user's own settings that every idea (and their terminal) would honour.
 */
function keptPermissions(suggestions: readonly unknown[]): { updatedPermissions?: unknown[] } {
  const rules = allowRulesOf(suggestions);
  if (rules.length === 0) return {};
  return {
    updatedPermissions: [
      { type: "addRules", rules, behavior: "allow", destination: "localSettings" },
    ],
  };
}
