// The events the product shows: what the decoder makes of CLI lines, plus run lifecycle events.
import { z } from "zod";

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

export const ideaStatusSchema = z.enum(["captured", "chatting", "building"]);
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
