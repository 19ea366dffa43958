// Builders for transcript entries in tests and the UI bench: real-shaped, validated by the schema.
import {
  resultEvent,
  runFinished,
  runStarted,
  transcriptEntrySchema,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";

export function entries(runId: string | null, events: TranscriptEvent[], firstSeq = 1) {
  return events.map((event, i): TranscriptEntry =>
    transcriptEntrySchema.parse({
      seq: firstSeq + i,
      ts: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      runId,
      event,
    }),
  );
}

export const ev = {
  started: (runId: string, prompt: string, mode: "chat" | "build" = "chat"): TranscriptEvent =>
    runStarted({ runId, mode, prompt, target: "local", startedAt: "2026-01-01T00:00:00.000Z" }),
  delta: (
    messageId: string,
    text: string,
    index = 0,
    parent: string | null = null,
  ): TranscriptEvent => ({
    type: "text_delta",
    messageId,
    index,
    text,
    parentToolUseId: parent,
  }),
  text: (
    messageId: string | null,
    text: string,
    parent: string | null = null,
  ): TranscriptEvent => ({
    type: "text",
    messageId,
    text,
    parentToolUseId: parent,
  }),
  thinking: (messageId: string, text: string): TranscriptEvent => ({
    type: "thinking",
    messageId,
    text,
  }),
  toolUse: (
    id: string,
    name: string,
    input: unknown,
    parent: string | null = null,
  ): TranscriptEvent => ({
    type: "tool_use",
    messageId: `m-${id}`,
    id,
    name,
    input,
    parentToolUseId: parent,
  }),
  toolResult: (
    toolUseId: string,
    content: string,
    isError = false,
    parent: string | null = null,
  ): TranscriptEvent => ({
    type: "tool_result",
    toolUseId,
    content,
    isError,
    parentToolUseId: parent,
  }),
  denied: (toolUseId: string, toolName: string): TranscriptEvent => ({
    type: "permission_denied",
    toolName,
    toolUseId,
    input: {},
  }),
  result: (
    costUsd: number,
    numTurns: number,
    isError = false,
    errors: string[] = [],
  ): TranscriptEvent => resultEvent({ isError, costUsd, durationMs: 1200, numTurns, errors }),
  /** A model error as the real CLI reports it: `is_error` with subtype "success" and the text. */
  apiErrorResult: (text: string): TranscriptEvent =>
    resultEvent({
      subtype: "success",
      isError: true,
      costUsd: 0,
      durationMs: 150,
      numTurns: 1,
      text,
    }),
  notice: (
    kind: string,
    level: "info" | "warning" | "error",
    message: string,
    data?: unknown,
  ): TranscriptEvent => ({ type: "notice", parentToolUseId: null, level, kind, message, data }),
  cancel: (runId: string): TranscriptEvent => ({ type: "cancel_requested", runId }),
  finished: (
    runId: string,
    outcome: "completed" | "failed" | "cancelled" | "timed_out" | "disconnected" = "completed",
    message: string | null = null,
  ): TranscriptEvent =>
    runFinished({
      runId,
      outcome,
      exitCode: outcome === "completed" ? 0 : 1,
      durationMs: 4321,
      message,
    }),
  stderr: (text: string): TranscriptEvent => ({ type: "stderr", text }),
  /** A tool call waiting for approval, as the server records the CLI's `can_use_tool`. */
  permissionRequest: (
    requestId: string,
    toolName: string,
    input: Record<string, unknown>,
    opts: {
      toolUseId?: string;
      description?: string;
      decisionReason?: string;
      alwaysRules?: string[];
      parent?: string;
    } = {},
  ): TranscriptEvent => ({
    type: "permission_request",
    requestId,
    toolName,
    displayName: toolName,
    input,
    toolUseId: opts.toolUseId ?? `toolu_${requestId}`,
    description: opts.description ?? null,
    decisionReason: opts.decisionReason ?? null,
    suggestions: [],
    alwaysRules: opts.alwaysRules ?? [],
    requiresUserInteraction: toolName === "AskUserQuestion",
    parentToolUseId: opts.parent ?? null,
  }),
  permissionAnswered: (
    requestId: string,
    decision: "allow" | "deny" = "allow",
    scope: "once" | "always" = "once",
    by: "user" | "policy" | "timeout" | "run_ended" = "user",
    words: { message?: string; answers?: Record<string, string> } = {},
  ): TranscriptEvent => ({
    type: "permission_answered",
    runId: "r1",
    requestId,
    decision,
    scope,
    by,
    ...words,
  }),
  queued: (runId: string, message: string): TranscriptEvent => ({
    type: "user_message_queued",
    runId,
    message,
  }),
};
