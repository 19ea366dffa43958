// Scenarios of failures and notices: a denied tool, system lines, a failed API call, error results.
import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { int } from "./scenario-util.mjs";
import { toolUseId } from "./output.mjs";

export const errorScenarios = {
  async "permission-denied"(ctx, p) {
    const name = p.name ?? "Write";
    const id = toolUseId();
    const input =
      name === "Bash"
        ? { command: p.command ?? "rm -rf build", description: "Remove the build folder" }
        : { file_path: resolve(ctx.cwd, p.path ?? "plan.md"), content: "# Plan\n" };
    await ctx.out.message([{ type: "tool_use", id, name, input }], { stopReason: "tool_use" });
    const target = name === "Bash" ? "use Bash" : `write to ${input.file_path}`;
    await ctx.out.toolResult(
      id,
      `Claude requested permissions to ${target}, but you haven't granted it yet.`,
      {
        isError: true,
      },
    );
    ctx.out.denied(name, id, input);
    await ctx.out.message(
      [{ type: "text", text: `I need permission to use ${name} to do that.` }],
      {
        stopReason: "end_turn",
      },
    );
  },

  async notices(ctx) {
    await ctx.out.system("status", { status: "compacting" });
    await ctx.out.system("compact_boundary", {
      compact_metadata: { trigger: "auto", pre_tokens: 155000 },
    });
    await ctx.out.system("api_retry", {
      attempt: 1,
      max_retries: 10,
      retry_delay_ms: 1200,
      error_status: 529,
      error: "overloaded",
    });
    await ctx.out.line({
      type: "rate_limit_event",
      rate_limit_info: {
        status: "allowed_warning",
        resetsAt: Math.floor(Date.now() / 1000) + 3600,
        rateLimitType: "five_hour",
      },
      uuid: randomUUID(),
      session_id: ctx.out.sessionId,
    });
    await ctx.out.message([{ type: "text", text: "Back to work." }], { stopReason: "end_turn" });
  },

  async "api-error"(ctx, p) {
    // What Claude Code 2.1 prints when the API fails for good: a synthetic assistant message with
    // `error`, a result with subtype "success" but is_error true, and exit code 1 (stderr empty).
    const status = int(p.status, 401);
    const [error, text] = API_ERRORS[status] ?? [
      "unknown",
      `API Error: ${status} Request failed. Try again in a moment.`,
    ];
    await ctx.out.syntheticError(error, text, status);
    ctx.state.result = {
      subtype: "success",
      isError: true,
      resultText: text,
      terminalReason: "api_error",
      apiErrorStatus: status,
    };
    ctx.stop(1);
  },

  async result(ctx, p) {
    ctx.state.result = {
      subtype: p.subtype ?? "error_max_turns",
      errors: p.errors ? p.errors.split("|") : [],
    };
  },
};

const API_ERRORS = {
  401: ["authentication_failed", "Invalid API key · Fix external API key"],
  500: [
    "server_error",
    "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.",
  ],
  529: [
    "overloaded",
    "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.",
  ],
};
