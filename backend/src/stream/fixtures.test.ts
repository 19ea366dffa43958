// Every CLI line shape, as the CLI writes it (fixtures/*.ndjson): key order, extra fields, old shapes.
import { claudeEventSchema } from "@catalyst/shared";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFile, FIXTURES_DIR as DIR, known } from "./fixture-files.js";

const fixture = (name: string) => decodeFile(join(DIR, name));

describe("fixtures written as the CLI writes them", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ndjson"));

  it("decode the same whatever the chunk size", () => {
    for (const f of files) {
      const whole = decodeFile(join(DIR, f), 1 << 20);
      expect(decodeFile(join(DIR, f), 1), f).toEqual(whole);
      expect(decodeFile(join(DIR, f), 4093), f).toEqual(whole);
    }
  });

  it("only make events of the product's event union", () => {
    for (const f of files) {
      for (const e of fixture(f))
        expect(claudeEventSchema.safeParse(e).success, `${f}: ${JSON.stringify(e)}`).toBe(true);
    }
  });

  it("make no unknown or invalid_line events, except in unknown.ndjson", () => {
    for (const f of files.filter((f) => f !== "unknown.ndjson")) {
      expect(
        fixture(f).filter((e) => !known(e)),
        f,
      ).toEqual([]);
    }
  });

  it("a 2.x session: init, blocks of one message with usage once, a tool round trip, the result", () => {
    const events = fixture("session-2x.ndjson");
    expect(events.map((e) => e.type)).toEqual([
      "init",
      "thinking",
      "text",
      "tool_use",
      "tool_result",
      "text",
      "result",
    ]);
    expect(events[0]).toEqual({
      type: "init",
      parentToolUseId: null,
      sessionId: "8f0c6a3e-2b1d-4c5e-9f7a-6b5c4d3e2f1a",
      model: "claude-sonnet-4-5-20250929",
      cwd: "/root/catalyst/ideas/k3Jx9/project",
      tools: expect.arrayContaining(["Read", "Write", "Bash"]),
      permissionMode: "acceptEdits",
      cliVersion: "2.0.14",
    });
    // Three lines of message msg_01Hq...: its usage is reported on the first only.
    const withUsage = events.filter(
      (e) => "usage" in e && e.usage !== undefined && e.type !== "result",
    );
    expect(withUsage.map((e) => e.type)).toEqual(["thinking", "text"]);
    expect(withUsage[0]).toMatchObject({
      messageId: "msg_01Hq5pDg2fVn7uYxYJcC3W1a",
      usage: { output_tokens: 25 },
    });
    expect(events[3]).toMatchObject({
      type: "tool_use",
      id: "toolu_01A9dJ3kPq7sVw2XyZ4bC5dE",
      name: "Read",
      input: { file_path: "/root/catalyst/ideas/k3Jx9/project/README.md" },
    });
    expect(events[4]).toEqual({
      type: "tool_result",
      parentToolUseId: null,
      toolUseId: "toolu_01A9dJ3kPq7sVw2XyZ4bC5dE",
      content: "     1→# hello\n     2→Ünïcödé → 日本語 🚀\n",
      isError: false,
    });
    expect(events[6]).toEqual({
      type: "result",
      parentToolUseId: null,
      subtype: "success",
      isError: false,
      costUsd: 0.0212,
      durationMs: 5231,
      numTurns: 3,
      text: "README.md says: hello.",
      errors: [],
      permissionDenials: [],
      sessionId: "8f0c6a3e-2b1d-4c5e-9f7a-6b5c4d3e2f1a",
      usage: expect.objectContaining({ input_tokens: 11, output_tokens: 96 }),
      // modelUsage summed over models: the session's tokens, subagents and restored ones included.
      sessionTokens: {
        inputTokens: 11,
        outputTokens: 96,
        cacheReadTokens: 26397,
        cacheWriteTokens: 2526,
      },
    });
  });

  it("partial messages: deltas of each kind with the message id, silent bookkeeping events", () => {
    const events = fixture("partial-2x.ndjson");
    expect(events.map((e) => e.type)).toEqual([
      "init",
      "thinking_delta",
      "thinking_delta",
      "thinking",
      "text_delta",
      "text_delta",
      "text",
      "tool_input_delta",
      "tool_input_delta",
      "tool_use",
      "tool_result",
      "result",
    ]);
    const deltas = events.filter((e) => e.type === "text_delta");
    expect(deltas.map((e) => e.text).join("")).toBe("Héllo wörld 👋");
    expect(deltas[0]).toEqual({
      type: "text_delta",
      parentToolUseId: null,
      messageId: "msg_01Pz3qWe4rTy5uIo6pAs7dFg",
      index: 1,
      text: "Héllo ",
    });
    const json = events
      .flatMap((e) => (e.type === "tool_input_delta" ? [e.partialJson] : []))
      .join("");
    expect(JSON.parse(json)).toEqual({ pattern: "**/*.ts" });
  });

  it("system lines and rate limits become notices a person can read", () => {
    const notices = fixture("system-2x.ndjson").filter((e) => e.type === "notice");
    expect(notices.map((n) => [n.kind, n.level, n.message])).toEqual([
      ["status", "info", "Status: compacting"],
      ["compact_boundary", "info", "Conversation compacted (auto, 155321 tokens before)"],
      ["status", "info", "Status: ready"],
      [
        "api_retry",
        "warning",
        "API request failed (HTTP 529): overloaded; retrying in 2 s (attempt 2 of 10)",
      ],
      ["hook_started", "info", "Hook PreToolUse:Bash started"],
      ["hook_response", "warning", "Hook PreToolUse:Bash error: blocked: rm -rf is not allowed"],
      ["task_notification", "info", 'task_notification: Background command "npm test" completed'],
      [
        "rate_limit",
        "warning",
        "Rate limit (five hour): nearly used up, resets 2025-11-21 16:00 UTC",
      ],
      [
        "rate_limit",
        "error",
        "Rate limit (seven day): reached, requests are refused, resets 2025-11-21 16:00 UTC",
      ],
    ]);
    // The whole line is kept for whoever wants the details.
    expect(notices[3]?.data).toMatchObject({ attempt: 2, max_retries: 10, error_status: 529 });
  });

  it("errors: API failure notice, denied tools, interruptions and every error result", () => {
    const events = fixture("errors-2x.ndjson");
    expect(events.map((e) => e.type)).toEqual([
      "init",
      "notice",
      "tool_result",
      "notice",
      "permission_denied",
      "permission_denied",
      "result",
      "result",
      "result",
      "result",
    ]);
    expect(events[1]).toMatchObject({
      level: "error",
      kind: "api_error",
      message: "Invalid API key · Please run /login",
    });
    expect(events[2]).toMatchObject({
      isError: true,
      content: expect.stringContaining("haven't granted it yet"),
    });
    expect(events[3]).toMatchObject({
      kind: "user_message",
      message: "[Request interrupted by user]",
    });
    expect(events[4]).toEqual({
      type: "permission_denied",
      parentToolUseId: null,
      toolName: "Bash",
      toolUseId: "toolu_01Dn",
      input: { command: "rm -rf build", description: "Remove build output" },
    });
    const results = events.filter((e) => e.type === "result");
    expect(results.map((r) => [r.subtype, r.isError, r.errors, r.text])).toEqual([
      ["error_during_execution", true, ["Request was aborted."], null],
      ["error_max_turns", true, [], null],
      ["error_max_budget_usd", true, ["Reached maximum budget ($0.50)"], null],
      ["success", true, [], "Invalid API key · Please run /login"],
    ]);
    expect(results[0]?.permissionDenials.map((d) => d.toolName)).toEqual(["Bash", "Write"]);
  });

  it("subagent lines carry the id of the Task call that started them", () => {
    const events = fixture("subagent-2x.ndjson");
    const task = "toolu_01Tk7sMvNb2cXz3aSd4fGh5j";
    expect(events.map((e) => [e.type, e.parentToolUseId])).toEqual([
      ["init", null],
      ["tool_use", null],
      ["notice", task],
      ["tool_use", task],
      ["tool_result", task],
      ["text", task],
      ["tool_result", null],
      ["text", null],
      ["result", null],
    ]);
    expect(events[6]).toMatchObject({
      toolUseId: task,
      content: [{ type: "text", text: "One test file: a.test.ts." }],
    });
  });

  it("Claude Code 1.0.x: cost_usd, several blocks in one line, fewer init fields", () => {
    const events = fixture("cli-1x.ndjson");
    expect(events.map((e) => e.type)).toEqual([
      "init",
      "text",
      "tool_use",
      "tool_result",
      "result",
    ]);
    expect(events[0]).toMatchObject({ cliVersion: null, model: "claude-sonnet-4-20250514" });
    expect(events[1]).toMatchObject({ usage: { output_tokens: 60 } });
    expect(events[2]).not.toHaveProperty("usage");
    expect(events[4]).toMatchObject({
      costUsd: 0.0123,
      numTurns: 2,
      text: "Only a README.",
      isError: false,
    });
  });

  it("the simplified shape some tools emit", () => {
    expect(fixture("simplified.ndjson")).toEqual([
      {
        type: "text",
        parentToolUseId: null,
        messageId: null,
        text: "Plain text from a simple tool.",
      },
      {
        type: "tool_use",
        parentToolUseId: null,
        messageId: null,
        id: "t-1",
        name: "Read",
        input: { file_path: "a.txt" },
      },
      {
        type: "tool_result",
        parentToolUseId: null,
        toolUseId: "t-1",
        content: "file body",
        isError: false,
      },
      expect.objectContaining({
        type: "result",
        subtype: "success",
        isError: false,
        costUsd: 0.002,
        numTurns: 1,
        text: "done",
      }),
      expect.objectContaining({
        type: "result",
        subtype: "error",
        isError: true,
        numTurns: 2,
        errors: ["something broke"],
      }),
    ]);
  });

  it("keeps whatever it does not know, whole", () => {
    const events = fixture("unknown.ndjson");
    expect(events.map((e) => e.type)).toEqual(Array(7).fill("unknown"));
    expect(events[0]).toEqual({
      type: "unknown",
      parentToolUseId: null,
      raw: { type: "brand_new_line", payload: { x: 1 } },
    });
    expect(events[1]).toMatchObject({ raw: { type: "server_tool_use", name: "web_search" } });
    expect(events[5]).toMatchObject({ raw: [1, 2, 3] });
    expect(events[6]).toMatchObject({ raw: "just a string" });
  });
});
