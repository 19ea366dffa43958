import { describe, expect, it } from "vitest";
import { budgetArg, cliArgs, parseExtraArgs } from "./command-line.js";

const base = { resumeSessionId: null, buildPermissionMode: "acceptEdits", extraArgs: [] };

describe("cliArgs", () => {
  it("makes chat read-only by restricting the tools, not just pre-approving them", () => {
    const args = cliArgs({ ...base, mode: "chat" });
    expect(args.slice(0, 4)).toEqual(["-p", "--output-format", "stream-json", "--verbose"]);
    expect(args[args.indexOf("--tools") + 1]).toBe("Read,Grep,Glob");
    expect(args[args.indexOf("--allowedTools") + 1]).toBe("Read,Grep,Glob");
    expect(args[args.indexOf("--permission-mode") + 1]).toBe("default");
  });

  it("makes every run a live session, chat with exactly the same read-only tools as before", () => {
    for (const mode of ["chat", "build"] as const) {
      const args = cliArgs({ ...base, mode });
      expect(args[args.indexOf("--input-format") + 1]).toBe("stream-json");
      expect(args[args.indexOf("--permission-prompt-tool") + 1]).toBe("stdio");
    }
    const chat = cliArgs({ ...base, mode: "chat" });
    // The prompt tool only asks about tools that exist: nothing here widens chat's list.
    expect(chat.filter((a) => a.startsWith("--tools") || a.startsWith("--allowed"))).toEqual([
      "--tools",
      "--allowedTools",
    ]);
    expect(chat).not.toContain("--disallowedTools");
  });

  it("gives build every tool and the configured permission mode", () => {
    const args = cliArgs({ ...base, mode: "build", buildPermissionMode: "dontAsk" });
    expect(args).not.toContain("--tools");
    expect(args[args.indexOf("--permission-mode") + 1]).toBe("dontAsk");
    expect(args).toContain("--include-partial-messages");
  });

  it("resumes a session id and refuses anything that is not one", () => {
    const id = "0b6f3c1e-8d2a-4f3b-9c1d-2e5f6a7b8c9d";
    const args = cliArgs({ ...base, mode: "chat", resumeSessionId: id });
    expect(args.slice(-2)).toEqual(["--resume", id]);
    expect(() => cliArgs({ ...base, mode: "chat", resumeSessionId: "x; rm -rf ~" })).toThrow();
  });

  it("appends extra arguments last", () => {
    expect(cliArgs({ ...base, mode: "build", extraArgs: ["--model", "sonnet"] }).slice(-2)).toEqual(
      ["--model", "sonnet"],
    );
  });
});

describe("parseExtraArgs", () => {
  it("splits plain words", () => {
    expect(parseExtraArgs("  --model sonnet\n--max-turns=5 ")).toEqual({
      success: true,
      data: ["--model", "sonnet", "--max-turns=5"],
    });
  });

  it.each(["$(id)", "a;b", "'x'", "`id`", "a|b"])("refuses the shell-ish word %j", (w) => {
    const r = parseExtraArgs(`--model ${w}`);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toMatch(/^CLAUDE_EXTRA_ARGS:/);
  });

  it.each([
    "--tools",
    "--dangerously-skip-permissions",
    "--permission-mode=bypassPermissions",
    "--permission-prompt-tool",
    "--input-format=text",
  ])("refuses %s, which Catalyst sets itself", (w) => {
    const r = parseExtraArgs(w);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error).toContain("set by Catalyst");
  });
});

describe("the budget cap", () => {
  it("passes --max-budget-usd, rounded down to a millionth of a dollar", () => {
    const args = cliArgs({ ...base, mode: "build", maxBudgetUsd: 0.1234567 });
    expect(args[args.indexOf("--max-budget-usd") + 1]).toBe("0.123456");
    expect(budgetArg(5)).toBe("5");
    expect(budgetArg(4.98)).toBe("4.98");
    expect(cliArgs({ ...base, mode: "chat", maxBudgetUsd: null })).not.toContain(
      "--max-budget-usd",
    );
  });

  it("keeps CLAUDE_EXTRA_ARGS from setting it", () => {
    expect(parseExtraArgs("--max-budget-usd 1000")).toEqual({
      success: false,
      error: "CLAUDE_EXTRA_ARGS: --max-budget-usd is set by Catalyst itself",
    });
    expect(parseExtraArgs("--max-budget-usd=1000").success).toBe(false);
  });
});
