import { describe, expect, it } from "vitest";
import { NO_CLI } from "./scripts.js";
import { parseAuthStatus, type StatusInput } from "./status.js";

const input = (over: Partial<StatusInput>): StatusInput => ({
  target: "ana@vm:22",
  hostLabel: "vm",
  claudeBin: "claude",
  cliVersion: "2.1.330 (Claude Code)",
  stored: null,
  code: 0,
  output: "",
  now: Date.UTC(2026, 10, 29),
  ...over,
});

describe("parseAuthStatus", () => {
  it("reads a subscription login past profile chatter, keeping fields it does not know", () => {
    const json = {
      loggedIn: true,
      authMethod: "claude.ai",
      subscriptionType: "max",
      loginExpiresAt: Date.UTC(2027, 0, 1),
      someFutureField: { x: 1 },
    };
    const s = parseAuthStatus(input({ output: `Welcome!\n${JSON.stringify(json, null, 2)}\n` }));
    expect(s).toMatchObject({
      loggedIn: true,
      kind: "subscription",
      method: "claude.ai",
      subscription: "max",
      expiresAt: "2027-01-01T00:00:00.000Z",
      error: null,
      checkedAt: "2026-11-29T00:00:00.000Z",
    });
  });

  it("reads the real CLI's logged-out answer (exit 1) and its API key answer", () => {
    const out = parseAuthStatus(
      input({ code: 1, output: '{"loggedIn":false,"authMethod":"none","loginExpiresAt":null}' }),
    );
    expect(out).toMatchObject({ loggedIn: false, kind: "none", method: "none", error: null });
    const key = parseAuthStatus(
      input({
        stored: "api_key",
        output: '{"loggedIn":true,"authMethod":"api_key","apiKeySource":"ANTHROPIC_API_KEY"}',
      }),
    );
    expect(key).toMatchObject({
      kind: "api_key",
      apiKeySource: "ANTHROPIC_API_KEY",
      stored: "api_key",
    });
  });

  it("says plainly when the CLI is missing or answers something else", () => {
    expect(parseAuthStatus(input({ code: 127, output: `${NO_CLI}\n` })).error).toBe(
      "claude not found on vm: install it or set CLAUDE_BIN",
    );
    const odd = parseAuthStatus(input({ code: 1, output: "error: unknown command 'auth'\n" }));
    expect(odd).toMatchObject({ loggedIn: false, method: "unknown" });
    expect(odd.error).toContain("unknown command 'auth'");
  });
});
