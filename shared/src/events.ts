// The events the product shows: what the decoder makes of CLI lines, plus run lifecycle events.
import { z } from "zod";
import { tokenCountsSchema } from "./usage.js";

/** Set when the line came from a subagent (the Task tool): the id of the tool call that started it. */
const base = { parentToolUseId: z.string().nullable().optional() };

/** Token usage as the Messages API reports it; extra counters are kept. */
export const usageSchema = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cache_creation_input_tokens: z.number().optional(),
  cache_read_input_tokens: z.number().optional(),
});
export type Usage = z.infer<typeof usageSchema>;

export const permissionDenialSchema = z.looseObject({
  toolName: z.string(),
  toolUseId: z.string().nullable(),
  input: z.unknown(),
});
export type PermissionDenial = z.infer<typeof permissionDenialSchema>;

export const initEventSchema = z.object({
  type: z.literal("init"),
  ...base,
  sessionId: z.string(),
  model: z.string().nullable(),
  cwd: z.string().nullable(),
  tools: z.array(z.string()),
  permissionMode: z.string().nullable(),
  cliVersion: z.string().nullable(),
});

export const textEventSchema = z.object({
  type: z.literal("text"),
  ...base,
  messageId: z.string().nullable(),
  text: z.string(),
  /** Usage of the API message this block belongs to, on the first event of that message only. */
  usage: usageSchema.optional(),
});

export const textDeltaEventSchema = z.object({
  type: z.literal("text_delta"),
  ...base,
  messageId: z.string().nullable(),
  index: z.number().nullable(),
  text: z.string(),
});

export const thinkingEventSchema = z.object({
  type: z.literal("thinking"),
  ...base,
  messageId: z.string().nullable(),
  text: z.string(),
  usage: usageSchema.optional(),
});

export const thinkingDeltaEventSchema = z.object({
  type: z.literal("thinking_delta"),
  ...base,
  messageId: z.string().nullable(),
  index: z.number().nullable(),
  text: z.string(),
});

export const toolUseEventSchema = z.object({
  type: z.literal("tool_use"),
  ...base,
  messageId: z.string().nullable(),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
  usage: usageSchema.optional(),
});

export const toolInputDeltaEventSchema = z.object({
  type: z.literal("tool_input_delta"),
  ...base,
  messageId: z.string().nullable(),
  index: z.number().nullable(),
  partialJson: z.string(),
});

/** A tool result's content: plain text, or content blocks (text, image, ...) kept as they came. */
export const toolResultContentSchema = z.union([z.string(), z.array(z.unknown())]);

export const toolResultEventSchema = z.object({
  type: z.literal("tool_result"),
  ...base,
  toolUseId: z.string(),
  content: toolResultContentSchema,
  isError: z.boolean(),
});

export const permissionDeniedEventSchema = z.object({
  type: z.literal("permission_denied"),
  ...base,
  toolName: z.string(),
  toolUseId: z.string().nullable(),
  input: z.unknown(),
});

/**
 * Claude Code asks before a tool runs (the CLI's `can_use_tool` control request, with
 * `--permission-prompt-tool stdio`): the run waits until a `permission_answered` with the same
 * `requestId` (from the person, the idea's policy, the approval timeout, or the run's end).
 * `AskUserQuestion` comes the same way: its questions are in `input.questions`
 * (askUserQuestionInputSchema) and the answer carries `answers`.
 */
export const permissionRequestEventSchema = z.object({
  type: z.literal("permission_request"),
  ...base,
  requestId: z.string(),
  toolName: z.string(),
  /** The CLI's `display_name` (may differ from the tool name for MCP tools). */
  displayName: z.string().nullable(),
  input: z.record(z.string(), z.unknown()),
  toolUseId: z.string().nullable(),
  /** What the tool call does, in Claude's words (e.g. a Bash command's description). */
  description: z.string().nullable(),
  /** Why the CLI asks (`decision_reason`): "This Bash command contains multiple operations...". */
  decisionReason: z.string().nullable(),
  /** The CLI's `permission_suggestions`, kept as they came: "Always allow" sends them back. */
  suggestions: z.array(z.unknown()),
  /** What "Always allow" would allow, as the CLI writes rules: `Bash(npm init *)`. Empty: no rule to offer. */
  alwaysRules: z.array(z.string()),
  /** Set for AskUserQuestion: only a person can answer (the `auto` policy never does). */
  requiresUserInteraction: z.boolean(),
});
export type PermissionRequestEvent = z.infer<typeof permissionRequestEventSchema>;

/** One question of an AskUserQuestion request (`input.questions[]`); extra fields are kept. */
export const askUserQuestionSchema = z.looseObject({
  question: z.string(),
  header: z.string().optional(),
  options: z.array(z.looseObject({ label: z.string(), description: z.string().optional() })),
  multiSelect: z.boolean().optional(),
});
export type AskUserQuestion = z.infer<typeof askUserQuestionSchema>;
/** A permission_request's `input` when its toolName is `AskUserQuestion`. */
export const askUserQuestionInputSchema = z.looseObject({
  questions: z.array(askUserQuestionSchema),
});

/** A control request of the CLI that Catalyst does not serve (answered with an error so it never hangs). */
export const controlRequestEventSchema = z.object({
  type: z.literal("control_request"),
  ...base,
  requestId: z.string(),
  subtype: z.string(),
  raw: z.unknown(),
});

/** The CLI's answer to a control request of ours (`interrupt`); the page need not show it. */
export const controlResponseEventSchema = z.object({
  type: z.literal("control_response"),
  ...base,
  requestId: z.string().nullable(),
  /** `success` or `error`. */
  subtype: z.string(),
  error: z.string().nullable(),
});

/** Something worth a line in the chat that is not model output: retries, rate limits, hooks, status. */
export const noticeEventSchema = z.object({
  type: z.literal("notice"),
  ...base,
  level: z.enum(["info", "warning", "error"]),
  /** What kind of notice: the system subtype (`api_retry`, `compact_boundary`, `hook_response`...), `rate_limit`, `session_reset`, ... */
  kind: z.string(),
  message: z.string(),
  data: z.unknown().optional(),
});

export const resultEventSchema = z.object({
  type: z.literal("result"),
  ...base,
  subtype: z.string(),
  isError: z.boolean(),
  /**
   * As decoded: the CLI's `total_cost_usd`. In a transcript: this run's own cost (the server takes
   * off what the session had already reported, since `--resume` restores it), with the CLI's figure
   * kept in `sessionCostUsd`.
   */
  costUsd: z.number().nullable(),
  sessionCostUsd: z.number().nullable().optional(),
  durationMs: z.number().nullable(),
  numTurns: z.number().nullable(),
  text: z.string().nullable(),
  errors: z.array(z.string()),
  permissionDenials: z.array(permissionDenialSchema),
  sessionId: z.string().nullable(),
  usage: usageSchema.nullable(),
  /**
   * The CLI's `modelUsage` summed over models: like `total_cost_usd` it covers the whole session
   * (restored on `--resume`) and subagents, where `usage` is this process's main conversation only.
   */
  sessionTokens: tokenCountsSchema.nullable().optional(),
});

/** A valid JSON line that no schema knows: kept whole so nothing is lost. */
export const unknownEventSchema = z.object({
  type: z.literal("unknown"),
  ...base,
  raw: z.unknown(),
});

/** A line that is not JSON (a shell banner, a debug log): kept as text. */
export const invalidLineEventSchema = z.object({
  type: z.literal("invalid_line"),
  ...base,
  text: z.string(),
});

export const stderrEventSchema = z.object({
  type: z.literal("stderr"),
  ...base,
  text: z.string(),
});

/** The stream itself went wrong (a line over the size limit); decoding goes on at the next line. */
export const streamErrorEventSchema = z.object({
  type: z.literal("stream_error"),
  ...base,
  code: z.enum(["line_too_long"]),
  message: z.string(),
  bytes: z.number(),
});

export const claudeEventSchema = z.discriminatedUnion("type", [
  initEventSchema,
  textEventSchema,
  textDeltaEventSchema,
  thinkingEventSchema,
  thinkingDeltaEventSchema,
  toolUseEventSchema,
  toolInputDeltaEventSchema,
  toolResultEventSchema,
  permissionDeniedEventSchema,
  permissionRequestEventSchema,
  controlRequestEventSchema,
  controlResponseEventSchema,
  noticeEventSchema,
  resultEventSchema,
  unknownEventSchema,
  invalidLineEventSchema,
  stderrEventSchema,
  streamErrorEventSchema,
]);
/** What one CLI output line (or stderr line) becomes. */
export type ClaudeEvent = z.infer<typeof claudeEventSchema>;

export const runModeSchema = z.enum(["chat", "build"]);
export type RunMode = z.infer<typeof runModeSchema>;

export const runOutcomeSchema = z.enum([
  "completed",
  "failed",
  "cancelled",
  "timed_out",
  "disconnected",
]);
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

export const runStartedEventSchema = z.object({
  type: z.literal("run_started"),
  ...base,
  runId: z.string(),
  mode: runModeSchema,
  /** What the person wrote (shown as their chat message). */
  prompt: z.string(),
  resumeSessionId: z.string().nullable(),
  target: z.string(),
  startedAt: z.string(),
});

export const cancelRequestedEventSchema = z.object({
  type: z.literal("cancel_requested"),
  ...base,
  runId: z.string(),
});

export const runFinishedEventSchema = z.object({
  type: z.literal("run_finished"),
  ...base,
  runId: z.string(),
  outcome: runOutcomeSchema,
  exitCode: z.number().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number(),
  /** A sentence a person understands, when the outcome is not `completed`. */
  message: z.string().nullable(),
  /** The last stderr lines, when the run failed. */
  stderrTail: z.array(z.string()),
});

export const permissionDecisionSchema = z.enum(["allow", "deny"]);
export type PermissionDecision = z.infer<typeof permissionDecisionSchema>;
/** `always` also keeps the request's rules (alwaysRules) for the idea: later runs do not ask again. */
export const permissionScopeSchema = z.enum(["once", "always"]);
export type PermissionScope = z.infer<typeof permissionScopeSchema>;
/**
 * Who answered: the person, the idea's `auto` policy, the approval timeout (APPROVAL_TIMEOUT_MS,
 * always a deny), or the run's end (it ended or the server restarted first; always a deny).
 */
export const permissionAnsweredBySchema = z.enum(["user", "policy", "timeout", "run_ended"]);

export const permissionAnsweredEventSchema = z.object({
  type: z.literal("permission_answered"),
  ...base,
  runId: z.string(),
  requestId: z.string(),
  decision: permissionDecisionSchema,
  scope: permissionScopeSchema,
  by: permissionAnsweredBySchema,
  /** A deny's reason as Claude is told it (the person's words, or why nobody answered). */
  message: z.string().optional(),
  /** AskUserQuestion: question text -> chosen label(s) (several joined with ", ") or free text. */
  answers: z.record(z.string(), z.string()).optional(),
});
export type PermissionAnsweredEvent = z.infer<typeof permissionAnsweredEventSchema>;

/**
 * A message the person sent while a run was going: it went into that run (the CLI takes it after
 * the current turn; a second `init` and `result` follow). Shown as their chat message.
 */
export const userMessageQueuedEventSchema = z.object({
  type: z.literal("user_message_queued"),
  ...base,
  runId: z.string(),
  message: z.string(),
});
export type UserMessageQueuedEvent = z.infer<typeof userMessageQueuedEventSchema>;

/** "building" only while a build runs; afterwards how the last build ended ("built", "build_failed"). */
export const ideaStatusSchema = z.enum([
  "captured",
  "chatting",
  "building",
  "built",
  "build_failed",
]);
export type IdeaStatus = z.infer<typeof ideaStatusSchema>;

export const statusChangedEventSchema = z.object({
  type: z.literal("status_changed"),
  ...base,
  status: ideaStatusSchema,
  previous: ideaStatusSchema,
});

export const runEventSchema = z.discriminatedUnion("type", [
  runStartedEventSchema,
  cancelRequestedEventSchema,
  runFinishedEventSchema,
  permissionAnsweredEventSchema,
  userMessageQueuedEventSchema,
]);
export type RunLifecycleEvent = z.infer<typeof runEventSchema>;
export type RunStartedEvent = z.infer<typeof runStartedEventSchema>;
export type RunFinishedEvent = z.infer<typeof runFinishedEventSchema>;

/** Everything a transcript can hold. */
export const transcriptEventSchema = z.discriminatedUnion("type", [
  ...claudeEventSchema.options,
  ...runEventSchema.options,
  statusChangedEventSchema,
]);
export type TranscriptEvent = z.infer<typeof transcriptEventSchema>;
export type TranscriptEventType = TranscriptEvent["type"];
