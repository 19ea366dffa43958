// zod schemas for one line of `claude -p --output-format stream-json --verbose` output (CLI 1.0.x-2.x).
import { z } from "zod";
import { toolResultContentSchema, usageSchema } from "./events.js";

// Every object is loose: the CLI adds fields with every release and we keep them.
// Fields we do not need to read stay `unknown` so a new shape never makes a line fail.

const optionalString = z.string().nullable().optional();
const optionalNumber = z.number().nullable().optional();

export const textBlockSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
export const thinkingBlockSchema = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().optional(),
});
export const toolUseBlockSchema = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
export const toolResultBlockSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: toolResultContentSchema.nullable().optional(),
  is_error: z.boolean().nullable().optional(),
});
// `message.content`: a string, or blocks. Blocks stay `unknown` here and are checked one by one
// with the block schemas above, so an unknown block (`image`, `redacted_thinking`, ...) is kept
// and never makes the whole line fail.
const messageContentSchema = z.union([z.string(), z.array(z.unknown())]);

const lineBase = {
  session_id: optionalString,
  uuid: optionalString,
  parent_tool_use_id: optionalString,
};

export const systemInitLineSchema = z.looseObject({
  type: z.literal("system"),
  subtype: z.literal("init"),
  ...lineBase,
  session_id: z.string(),
  cwd: optionalString,
  tools: z.array(z.string()).nullable().optional(),
  mcp_servers: z.array(z.unknown()).nullable().optional(),
  model: optionalString,
  permissionMode: optionalString,
  slash_commands: z.array(z.unknown()).nullable().optional(),
  apiKeySource: optionalString,
  claude_code_version: optionalString,
  output_style: optionalString,
  agents: z.array(z.unknown()).nullable().optional(),
});
export type SystemInitLine = z.infer<typeof systemInitLineSchema>;

/** Every other system line: api_retry, compact_boundary, status, hook_*, task_*, ... */
export const systemLineSchema = z.looseObject({
  type: z.literal("system"),
  subtype: z.string().optional(),
  ...lineBase,
});
export type SystemLine = z.infer<typeof systemLineSchema>;

export const apiMessageSchema = z.looseObject({
  id: optionalString,
  type: optionalString,
  role: optionalString,
  model: optionalString,
  content: messageContentSchema,
  stop_reason: optionalString,
  usage: usageSchema.nullable().optional(),
});

export const assistantLineSchema = z.looseObject({
  type: z.literal("assistant"),
  message: apiMessageSchema,
  ...lineBase,
  /** Set on a synthetic message when the API call failed (`authentication_failed`, `rate_limit`, ...). */
  error: z.unknown().optional(),
});
export type AssistantLine = z.infer<typeof assistantLineSchema>;

/** The simplified shape some tools emit: one block per line, flat. */
export const simpleAssistantLineSchema = z.looseObject({
  type: z.literal("assistant"),
  subtype: z.string(),
  ...lineBase,
  text: z.string().optional(),
  thinking: z.string().optional(),
  tool_use_id: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});
export type SimpleAssistantLine = z.infer<typeof simpleAssistantLineSchema>;

export const userLineSchema = z.looseObject({
  type: z.literal("user"),
  message: z.looseObject({ role: optionalString, content: messageContentSchema }),
  ...lineBase,
  tool_use_result: z.unknown().optional(),
});
export type UserLine = z.infer<typeof userLineSchema>;

/** Simplified shape: a tool result on its own line. */
export const toolResultLineSchema = z.looseObject({
  type: z.literal("tool_result"),
  tool_use_id: z.string(),
  content: toolResultContentSchema.nullable().optional(),
  is_error: z.boolean().nullable().optional(),
  ...lineBase,
});
export type ToolResultLine = z.infer<typeof toolResultLineSchema>;

export const permissionDenialLineSchema = z.looseObject({
  tool_name: z.string(),
  tool_use_id: optionalString,
  tool_input: z.unknown().optional(),
});

export const resultLineSchema = z.looseObject({
  type: z.literal("result"),
  /** `success`, `error_max_turns`, `error_during_execution`, `error_max_budget_usd`, or newer ones. */
  subtype: z.string().optional(),
  is_error: z.boolean().nullable().optional(),
  duration_ms: optionalNumber,
  duration_api_ms: optionalNumber,
  num_turns: optionalNumber,
  /** Simplified shape's name for num_turns. */
  turns: optionalNumber,
  result: optionalString,
  /** Simplified shape: one error message. */
  error: z.unknown().optional(),
  errors: z.array(z.unknown()).nullable().optional(),
  ...lineBase,
  total_cost_usd: optionalNumber,
  /** Older CLIs (1.0.x) wrote `cost_usd`. */
  cost_usd: optionalNumber,
  usage: usageSchema.nullable().optional(),
  modelUsage: z.unknown().optional(),
  permission_denials: z.array(z.unknown()).nullable().optional(),
});
export type ResultLine = z.infer<typeof resultLineSchema>;

/** `--include-partial-messages`: the raw Messages API stream events. */
export const streamEventLineSchema = z.looseObject({
  type: z.literal("stream_event"),
  event: z.looseObject({
    type: z.string(),
    index: optionalNumber,
    delta: z.unknown().optional(),
    message: z.unknown().optional(),
    content_block: z.unknown().optional(),
  }),
  ...lineBase,
  /** Claude Code 2.1 names the API message on every stream event. */
  api_message_id: optionalString,
});
export type StreamEventLine = z.infer<typeof streamEventLineSchema>;

export const streamDeltaSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text_delta"), text: z.string() }),
  z.looseObject({ type: z.literal("thinking_delta"), thinking: z.string() }),
  z.looseObject({ type: z.literal("input_json_delta"), partial_json: z.string() }),
]);

export const rateLimitLineSchema = z.looseObject({
  type: z.literal("rate_limit_event"),
  rate_limit_info: z
    .looseObject({
      status: optionalString,
      resetsAt: optionalNumber,
      rateLimitType: optionalString,
      utilization: optionalNumber,
    })
    .nullable()
    .optional(),
  ...lineBase,
});
export type RateLimitLine = z.infer<typeof rateLimitLineSchema>;

/**
 * `--input-format stream-json --permission-prompt-tool stdio`: the CLI asks us something and waits
 * for a `control_response` line on its stdin with the same `request_id`.
 */
export const controlRequestLineSchema = z.looseObject({
  type: z.literal("control_request"),
  request_id: z.string(),
  request: z.looseObject({ subtype: z.string() }),
});

/** The `can_use_tool` request: a tool call (or AskUserQuestion) that needs a person's yes. */
export const canUseToolRequestSchema = z.looseObject({
  subtype: z.literal("can_use_tool"),
  tool_name: z.string(),
  display_name: optionalString,
  input: z.record(z.string(), z.unknown()).nullable().optional(),
  description: optionalString,
  permission_suggestions: z.array(z.unknown()).nullable().optional(),
  decision_reason: z.unknown().optional(),
  tool_use_id: optionalString,
  requires_user_interaction: z.boolean().nullable().optional(),
});

/** A suggestion in `permission_suggestions` that adds rules (what "Always allow" keeps). */
export const addRulesSuggestionSchema = z.looseObject({
  type: z.literal("addRules"),
  behavior: z.string().optional(),
  rules: z.array(z.looseObject({ toolName: z.string(), ruleContent: optionalString })),
});

/** The CLI's answer to a control request we sent (`interrupt`). */
export const controlResponseLineSchema = z.looseObject({
  type: z.literal("control_response"),
  response: z.looseObject({
    subtype: z.string(),
    request_id: optionalString,
    error: z.unknown().optional(),
  }),
});
