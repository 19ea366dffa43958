// The CLI's fixed-shape lines (init, a synthetic API-error message, the final result), key order
// and extra fields as the real CLI writes them.
import { randomUUID } from "node:crypto";

export function initLine({ cwd, sessionId, tools, model, permissionMode, version }) {
  return {
    type: "system",
    subtype: "init",
    cwd,
    session_id: sessionId,
    tools,
    mcp_servers: [],
    model,
    permissionMode,
    slash_commands: [
      "compact",
      "context",
      "cost",
      "init",
      "pr-comments",
      "release-notes",
      "review",
      "security-review",
      "todos",
    ],
    apiKeySource: process.env.ANTHROPIC_API_KEY ? "ANTHROPIC_API_KEY" : "none",
    claude_code_version: version,
    output_style: "default",
    agents: ["general-purpose", "statusline-setup", "Explore", "Plan"],
    skills: [],
    plugins: [],
    uuid: randomUUID(),
  };
}

/** The message the CLI makes up when an API call fails for good (bad key, billing, ...). */
export function syntheticErrorLine({ sessionId, error, text, status }) {
  return {
    type: "assistant",
    message: {
      id: randomUUID(),
      model: "<synthetic>",
      role: "assistant",
      stop_reason: "stop_sequence",
      stop_sequence: "",
      type: "message",
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      content: [{ type: "text", text }],
      context_management: null,
    },
    parent_tool_use_id: null,
    session_id: sessionId,
    uuid: randomUUID(),
    error,
    is_api_error_message: true,
    api_error_status: status,
  };
}

/**
 * `totals` = { input, output, cacheCreation, cacheRead } tokens of the whole run. The real CLI
 * reports a failed API call as subtype success with is_error true, hence `isError` apart.
 */
/** What tokens cost, at list prices of a Sonnet-class model (USD per token). */
export function costOf(totals) {
  return Number(
    (
      totals.input * 3e-6 +
      totals.output * 15e-6 +
      totals.cacheCreation * 3.75e-6 +
      totals.cacheRead * 0.3e-6
    ).toFixed(6),
  );
}

export function resultLine({
  model,
  sessionId,
  turns,
  totals,
  sessionTotals = totals,
  costUsd,
  denials,
  durationMs,
  subtype,
  isError,
  errors,
  resultText,
  terminalReason,
  apiErrorStatus,
}) {
  const usage = {
    input_tokens: totals.input,
    cache_creation_input_tokens: totals.cacheCreation,
    cache_read_input_tokens: totals.cacheRead,
    output_tokens: totals.output,
    server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
    service_tier: "standard",
    cache_creation: {
      ephemeral_1h_input_tokens: 0,
      ephemeral_5m_input_tokens: totals.cacheCreation,
    },
  };
  const modelUsage = {
    [model]: {
      inputTokens: sessionTotals.input,
      outputTokens: sessionTotals.output,
      cacheReadInputTokens: sessionTotals.cacheRead,
      cacheCreationInputTokens: sessionTotals.cacheCreation,
      webSearchRequests: 0,
      costUSD: costUsd,
      contextWindow: 200000,
      maxOutputTokens: 64000,
    },
  };
  const apiMs = Math.floor(durationMs * 0.9);
  // The real CLI orders the keys differently for errors and has no `result` there.
  const line =
    subtype !== "success"
      ? {
          type: "result",
          subtype,
          duration_ms: durationMs,
          duration_api_ms: apiMs,
          is_error: true,
          num_turns: turns,
          session_id: sessionId,
          total_cost_usd: costUsd,
          usage,
          modelUsage,
          permission_denials: denials,
          errors,
          uuid: randomUUID(),
        }
      : {
          type: "result",
          subtype,
          is_error: isError,
          duration_ms: durationMs,
          duration_api_ms: apiMs,
          num_turns: turns,
          result: resultText,
          session_id: sessionId,
          total_cost_usd: costUsd,
          usage,
          modelUsage,
          permission_denials: denials,
          uuid: randomUUID(),
        };
  // Newer CLIs add these; only written when they say something.
  if (apiErrorStatus !== undefined) line.api_error_status = apiErrorStatus;
  if (terminalReason !== undefined) line.terminal_reason = terminalReason;
  return line;
}
