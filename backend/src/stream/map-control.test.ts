import { describe, expect, it } from "vitest";
import type { ClaudeEvent } from "@catalyst/shared";
import { createLineMapper } from "./map-line.js";

const map = (value: unknown): ClaudeEvent[] => {
  const out: ClaudeEvent[] = [];
  createLineMapper().map(value, out);
  return out;
};

describe("control lines", () => {
  it("turns a can_use_tool request (as CLI 2.1.330 writes it) into a permission_request", () => {
    const [e] = map({
      type: "control_request",
      request_id: "r-1",
      request: {
        subtype: "can_use_tool",
        tool_name: "Bash",
        display_name: "Bash",
        input: { command: "npm init -y", description: "Create package.json" },
        description: "Create package.json",
        permission_suggestions: [
          {
            type: "addRules",
            rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
            behavior: "allow",
            destination: "localSettings",
          },
        ],
        decision_reason: "This Bash command requires approval",
        tool_use_id: "toolu_1",
      },
    });
    expect(e).toEqual({
      type: "permission_request",
      parentToolUseId: null,
      requestId: "r-1",
      toolName: "Bash",
      displayName: "Bash",
      input: { command: "npm init -y", description: "Create package.json" },
      toolUseId: "toolu_1",
      description: "Create package.json",
      decisionReason: "This Bash command requires approval",
      suggestions: [
        {
          type: "addRules",
          rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
          behavior: "allow",
          destination: "localSettings",
        },
      ],
      alwaysRules: ["Bash(npm init *)"],
      requiresUserInteraction: false,
    });
  });

  it("marks AskUserQuestion as needing a person", () => {
    const [e] = map({
      type: "control_request",
      request_id: "q",
      request: {
        subtype: "can_use_tool",
        tool_name: "AskUserQuestion",
        input: {
          questions: [{ question: "Which?", header: "Pick", options: [], multiSelect: false }],
        },
        requires_user_interaction: true,
      },
    });
    expect(e).toMatchObject({
      type: "permission_request",
      requiresUserInteraction: true,
      alwaysRules: [],
    });
  });

  it("keeps other control requests, and the CLI's control responses, as their own events", () => {
    expect(
      map({
        type: "control_request",
        request_id: "h",
        request: { subtype: "hook_callback", x: 1 },
      }),
    ).toEqual([
      {
        type: "control_request",
        parentToolUseId: null,
        requestId: "h",
        subtype: "hook_callback",
        raw: {
          type: "control_request",
          request_id: "h",
          request: { subtype: "hook_callback", x: 1 },
        },
      },
    ]);
    expect(
      map({ type: "control_response", response: { subtype: "success", request_id: "i-1" } }),
    ).toEqual([
      {
        type: "control_response",
        parentToolUseId: null,
        requestId: "i-1",
        subtype: "success",
        error: null,
      },
    ]);
  });

  it("keeps a malformed control line whole as unknown", () => {
    expect(map({ type: "control_request", request: {} })[0]?.type).toBe("unknown");
  });
});
