import { describe, expect, it } from "vitest";
import { parseConfig } from "./config.js";

describe("parseConfig", () => {
  it("fills in defaults for an empty environment", () => {
    const r = parseConfig({});
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.PORT).toBe(3000);
    expect(r.data.HOST).toBe("127.0.0.1");
    expect(r.data.CLAUDE_TIMEOUT_MS).toBe(600_000);
    expect(r.data.CANCEL_GRACE_MS).toBe(5_000);
    expect(r.data.BUILD_PERMISSION_MODE).toBe("acceptEdits");
    expect(r.data.SSH_HOST).toBeUndefined();
    expect(r.data.CLAUDE_ENV).toEqual({});
  });

  it("reads the budgets as dollars, unset by default, and refuses zero or words", () => {
    const unset = parseConfig({});
    expect(unset.success && [unset.data.RUN_BUDGET_USD, unset.data.MONTHLY_BUDGET_USD]).toEqual([
      undefined,
      undefined,
    ]);
    const set = parseConfig({ RUN_BUDGET_USD: "2.5", MONTHLY_BUDGET_USD: "100" });
    expect(set.success && [set.data.RUN_BUDGET_USD, set.data.MONTHLY_BUDGET_USD]).toEqual([
      2.5, 100,
    ]);
    const bad = parseConfig({ RUN_BUDGET_USD: "0", MONTHLY_BUDGET_USD: "lots" });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(bad.error).toMatch(/RUN_BUDGET_USD: must be a positive number of dollars/);
    expect(bad.error).toContain("MONTHLY_BUDGET_USD");
  });

  it("leaves runs going at shutdown unless SHUTDOWN_CANCELS_RUNS is 1", () => {
    const detach = parseConfig({});
    expect(detach.success && detach.data.SHUTDOWN_CANCELS_RUNS).toBe(false);
    const cancel = parseConfig({ SHUTDOWN_CANCELS_RUNS: "1" });
    expect(cancel.success && cancel.data.SHUTDOWN_CANCELS_RUNS).toBe(true);
    expect(parseConfig({ SHUTDOWN_CANCELS_RUNS: "yes" }).success).toBe(false);
  });

  it("names the variable that is wrong", () => {
    const r = parseConfig({ PORT: "http", CLAUDE_TIMEOUT_MS: "-5" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error).toContain("PORT");
    expect(r.error).toContain("CLAUDE_TIMEOUT_MS");
  });

  it("parses CLAUDE_ENV pairs and rejects a malformed one", () => {
    const ok = parseConfig({ CLAUDE_ENV: "ANTHROPIC_BASE_URL=http://127.0.0.1:9 FOO=bar" });
    expect(ok.success && ok.data.CLAUDE_ENV).toEqual({
      ANTHROPIC_BASE_URL: "http://127.0.0.1:9",
      FOO: "bar",
    });
    const bad = parseConfig({ CLAUDE_ENV: "1BAD=x" });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(bad.error).toContain("CLAUDE_ENV");
  });

  it("treats empty strings as unset", () => {
    const r = parseConfig({ SSH_HOST: "", PORT: "" });
    expect(r.success && r.data.SSH_HOST).toBeUndefined();
    expect(r.success && r.data.PORT).toBe(3000);
  });

  it("refuses a CLAUDE_BIN that would need quoting", () => {
    const r = parseConfig({ CLAUDE_BIN: "claude; rm -rf /" });
    expect(r.success).toBe(false);
  });
});
