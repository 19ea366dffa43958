// Runs scripts/fake-claude as a real child process and decodes its output with the product's decoder.
import type { ClaudeEvent } from "@catalyst/shared";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStreamDecoder } from "@catalyst/backend/stream";
import { z } from "zod";

/** One stdout line: a JSON object (its keys are what the tests look at). */
const jsonLine = z.record(z.string(), z.unknown());
/** What `@fake echo-prompt` reports about the prompt, the folder and the session. */
const echoReport = z.looseObject({
  promptBytes: z.number(),
  promptSha256: z.string(),
  cwd: z.string(),
  argv: z.array(z.string()),
  resumed: z.boolean(),
});
/** What `@fake child` reports about the children it started. */
const childReport = z.object({
  children: z.array(z.object({ pid: z.number(), ownSession: z.boolean() })),
});

const BIN = new URL("./fake-claude", import.meta.url).pathname;
const STREAM = ["-p", "--output-format", "stream-json", "--verbose"];

let root = "";
let home = "";
let project = "";

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fake-claude-test-"));
  home = join(root, "home");
  project = join(root, "project");
  mkdirSync(home);
  mkdirSync(project);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  events: ClaudeEvent[];
}

function start(
  args: string[],
  opts: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {},
) {
  const child = spawn(BIN, args, {
    cwd: opts.cwd ?? project,
    env: { PATH: process.env.PATH ?? "", HOME: home, ...opts.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const decoder = createStreamDecoder();
  const events: ClaudeEvent[] = [];
  const listeners: ((e: ClaudeEvent) => void)[] = [];
  child.stdout.on("data", (c: Buffer) => {
    out.push(c);
    for (const e of decoder.push(c)) {
      events.push(e);
      for (const l of listeners) l(e);
    }
  });
  child.stderr.on("data", (c: Buffer) => err.push(c));
  child.stdin.end(opts.input ?? "");
  const done = new Promise<Run>((resolve) => {
    child.on("close", (code, signal) => {
      events.push(...decoder.end());
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString(),
        events,
      });
    });
  });
  const waitFor = (pred: (e: ClaudeEvent) => boolean) =>
    new Promise<ClaudeEvent>((resolve) => {
      const hit = events.find(pred);
      if (hit) return resolve(hit);
      listeners.push((e) => pred(e) && resolve(e));
    });
  return { child, done, waitFor };
}

const run = (...a: Parameters<typeof start>) => start(...a).done;
const ofType = <T extends ClaudeEvent["type"]>(events: ClaudeEvent[], type: T) =>
  events.filter((e): e is Extract<ClaudeEvent, { type: T }> => e.type === type);

describe("fake-claude flags", () => {
  it("prints a version like the real CLI", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^\d+\.\d+\.\d+ \(Claude Code\)\n$/);
  });

  it("refuses stream-json without --verbose, like the real CLI", async () => {
    const r = await run(["-p", "--output-format", "stream-json"], { input: "hi" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--output-format=stream-json requires --verbose");
    expect(r.stdout.length).toBe(0);
  });

  it("rejects an unknown option and an invalid permission mode", async () => {
    const a = await run([...STREAM, "--bogus"], { input: "hi" });
    expect(a.code).toBe(1);
    expect(a.stderr).toContain("unknown option '--bogus'");
    const b = await run([...STREAM, "--permission-mode", "yolo"], { input: "hi" });
    expect(b.code).toBe(1);
    expect(b.stderr).toContain("Allowed choices are");
  });

  it("refuses an empty prompt", async () => {
    const r = await run(STREAM, { input: "" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Input must be provided");
  });

  it("says hello by default: init, text, result", async () => {
    const r = await run(STREAM, { input: "hi there" });
    expect(r.code).toBe(0);
    expect(r.events.map((e) => e.type)).toEqual(["init", "text", "result"]);
    const [init] = ofType(r.events, "init");
    expect(init?.cwd).toBe(project);
    expect(init?.permissionMode).toBe("default");
    expect(ofType(r.events, "result")[0]).toMatchObject({ subtype: "success", isError: false });
  });

  it("writes init and result lines with the real CLI's keys in its order", async () => {
    const r = await run(STREAM, { input: "hi" });
    const lines = r.stdout
      .toString()
      .trim()
      .split("\n")
      .map((l) => jsonLine.parse(JSON.parse(l)));
    expect(Object.keys(lines[0] ?? {})).toEqual([
      "type",
      "subtype",
      "cwd",
      "session_id",
      "tools",
      "mcp_servers",
      "model",
      "permissionMode",
      "slash_commands",
      "apiKeySource",
      "claude_code_version",
      "output_style",
      "agents",
      "skills",
      "plugins",
      "uuid",
    ]);
    expect(Object.keys(lines[1] ?? {})).toEqual([
      "type",
      "message",
      "parent_tool_use_id",
      "session_id",
      "uuid",
    ]);
    expect(Object.keys(lines[2] ?? {})).toEqual([
      "type",
      "subtype",
      "is_error",
      "duration_ms",
      "duration_api_ms",
      "num_turns",
      "result",
      "session_id",
      "total_cost_usd",
      "usage",
      "modelUsage",
      "permission_denials",
      "uuid",
    ]);
  });

  it("prints only the result in text and json output formats", async () => {
    const text = await run(["-p"], { input: "@fake hello text=plain" });
    expect(text.stdout.toString()).toBe("plain\n");
    const json = await run(["-p", "--output-format", "json"], { input: "@fake hello text=j" });
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ type: "result", result: "j" });
  });

  it("takes the scenario from FAKE_CLAUDE_SCENARIO when the prompt has none", async () => {
    const r = await run(STREAM, {
      input: "no directive",
      env: { FAKE_CLAUDE_SCENARIO: "slow count=3 interval=0" },
    });
    expect(ofType(r.events, "text").map((e) => e.text)).toEqual([
      "Line 1 of 3.",
      "Line 2 of 3.",
      "Line 3 of 3.",
    ]);
  });

  it("fails loudly on an unknown scenario", async () => {
    const r = await run(STREAM, { input: "@fake nope" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown scenario 'nope'");
  });
});

describe("fake-claude prompt", () => {
  it("receives a 1 MiB prompt full of shell metacharacters byte for byte", async () => {
    const unit = `it's "quoted" $(rm -rf /) \`uname\` $HOME \\ 😀 日本\n`;
    const prompt = `@fake echo-prompt\n${unit.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(unit)))}`;
    const r = await run(STREAM, { input: prompt });
    const report = echoReport.parse(JSON.parse(ofType(r.events, "text")[0]?.text ?? "{}"));
    expect(report.promptBytes).toBe(Buffer.byteLength(prompt));
    expect(report.promptSha256).toBe(createHash("sha256").update(prompt).digest("hex"));
    expect(report.cwd).toBe(project);
    expect(report.argv).toEqual(STREAM);
  });

  it("reads user messages with --input-format stream-json", async () => {
    const input = `${JSON.stringify({ type: "user", message: { role: "user", content: "@fake hello text=from-json" } })}\n`;
    const r = await run([...STREAM, "--input-format", "stream-json"], { input });
    expect(ofType(r.events, "text")[0]?.text).toBe("from-json");
  });
});

describe("fake-claude sessions", () => {
  it("resumes a session of the same folder and refuses it from another folder", async () => {
    const first = await run(STREAM, { input: "hi" });
    const id = ofType(first.events, "init")[0]?.sessionId ?? "";
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const second = await run([...STREAM, "--resume", id], { input: "@fake echo-prompt" });
    expect(ofType(second.events, "init")[0]?.sessionId).toBe(id);
    const report = echoReport.parse(JSON.parse(ofType(second.events, "text")[0]?.text ?? "{}"));
    expect(report).toMatchObject({ resumed: true, previousTurns: 1 });

    const elsewhere = join(root, "other");
    mkdirSync(elsewhere, { recursive: true });
    const third = await run([...STREAM, "--resume", id], { input: "hi", cwd: elsewhere });
    expect(third.code).toBe(1);
    expect(third.stderr).toContain(`No conversation found with session ID: ${id}`);
  });

  it("fails like the real CLI on an unknown resume id", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const r = await run([...STREAM, "--resume", id], { input: "hi" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`No conversation found with session ID: ${id}`);
    // Claude Code 2.1 also writes one result line (and no init) on stdout.
    expect(r.events).toEqual([
      expect.objectContaining({
        type: "result",
        subtype: "error_during_execution",
        isError: true,
        sessionId: id,
        errors: [`No conversation found with session ID: ${id}`],
      }),
    ]);
  });
});

describe("fake-claude tools", () => {
  it("reads a file with the Read tool", async () => {
    const r = await run(STREAM, {
      input: "@fake tool name=Read path=../home/../project/missing.txt",
    });
    const [use] = ofType(r.events, "tool_use");
    const [result] = ofType(r.events, "tool_result");
    expect(use?.name).toBe("Read");
    expect(result).toMatchObject({ toolUseId: use?.id, isError: true });
  });

  it("answers 'No such tool available' for a tool outside --tools", async () => {
    const r = await run(
      [...STREAM, "--tools", "Read,Grep,Glob", "--allowedTools", "Read,Grep,Glob"],
      {
        input: "@fake tool name=Write",
      },
    );
    expect(ofType(r.events, "init")[0]?.tools).toEqual(["Glob", "Grep", "Read"]);
    const [result] = ofType(r.events, "tool_result");
    expect(result?.isError).toBe(true);
    expect(result?.content).toContain("No such tool available: Write");
  });

  it("writes a file in acceptEdits mode and denies it in default mode", async () => {
    const ok = await run([...STREAM, "--permission-mode", "acceptEdits"], {
      input: '@fake tool name=Write path=out.txt content="made by the fake"',
    });
    expect(ofType(ok.events, "tool_result")[0]?.isError).toBe(false);
    expect(readFileSync(join(project, "out.txt"), "utf8")).toBe("made by the fake");

    const denied = await run(STREAM, { input: "@fake tool name=Write path=denied.txt" });
    expect(ofType(denied.events, "permission_denied")).toHaveLength(1);
    expect(ofType(denied.events, "result")[0]?.permissionDenials[0]?.toolName).toBe("Write");
  });

  it("reports a denied permission in result.permission_denials", async () => {
    const r = await run(STREAM, { input: "@fake permission-denied name=Bash" });
    expect(ofType(r.events, "permission_denied").map((e) => e.toolName)).toEqual(["Bash"]);
  });
});

describe("fake-claude scenarios", () => {
  it("runs directives in order", async () => {
    const r = await run(STREAM, {
      input: "@fake hello text=one\nsome words\n@fake hello text=two",
    });
    expect(ofType(r.events, "text").map((e) => e.text)).toEqual(["one", "two"]);
  });

  it("exits with the asked code and a stderr line, without a result", async () => {
    const r = await run(STREAM, { input: '@fake exit code=3 message="boom: it broke"' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("boom: it broke\n");
    expect(ofType(r.events, "result")).toHaveLength(0);
  });

  it("writes a tool result of exactly the asked size", async () => {
    const r = await run(STREAM, { input: "@fake long-line bytes=3000000" });
    const [result] = ofType(r.events, "tool_result");
    expect(typeof result?.content === "string" && Buffer.byteLength(result.content)).toBe(
      3_000_000,
    );
  });

  it("writes unicode cut inside characters that decodes intact", async () => {
    const r = await run(STREAM, { input: "@fake unicode" });
    expect(ofType(r.events, "text")[0]?.text).toContain("👩🏽‍💻🧑‍🤝‍🧑🇫🇷✨");
    expect(r.events.some((e) => e.type === "invalid_line")).toBe(false);
  });

  it("writes many events", async () => {
    const r = await run(STREAM, { input: "@fake many count=20000" });
    expect(ofType(r.events, "text")).toHaveLength(20000);
  });

  it("marks subagent events with the Task tool call's id", async () => {
    const r = await run(STREAM, { input: "@fake subagent" });
    const task = ofType(r.events, "tool_use").find((e) => e.name === "Task");
    const inner = r.events.filter((e) => e.parentToolUseId === task?.id);
    expect(inner.map((e) => e.type)).toEqual(["notice", "tool_use", "tool_result", "text"]);
  });

  it("streams deltas with --include-partial-messages", async () => {
    const r = await run([...STREAM, "--include-partial-messages"], { input: "@fake thinking" });
    const deltas = ofType(r.events, "text_delta")
      .map((e) => e.text)
      .join("");
    expect(deltas).toBe(ofType(r.events, "text")[0]?.text);
    expect(ofType(r.events, "thinking_delta").length).toBeGreaterThan(0);
  });

  it("names the message on every stream event (api_message_id), like the real CLI 2.1.330", async () => {
    // A reader that starts mid-message (a server following a run again after a restart) never
    // sees the message_start, so only this says which message a delta belongs to; without it the
    // page took the rest of the text for a new message and showed it twice.
    const r = await run([...STREAM, "--include-partial-messages"], {
      input: "@fake slow interval=1 count=6",
    });
    const lines = r.stdout
      .toString()
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => jsonLine.parse(JSON.parse(l)));
    const streamed = lines.filter((l) => l.type === "stream_event");
    const text = lines.find((l) => l.type === "assistant");
    const id = z.object({ message: z.object({ id: z.string() }) }).parse(text).message.id;
    expect(streamed.length).toBeGreaterThan(6);
    expect(streamed.map((l) => l.api_message_id)).toEqual(streamed.map(() => id));
    // Decoded from the middle of the message on, the deltas still carry its id.
    const start = lines.findIndex((l) => l.type === "stream_event") + 3;
    const tail = lines
      .slice(start)
      .map((l) => JSON.stringify(l) + "\n")
      .join("");
    const decoder = createStreamDecoder();
    const events = [...decoder.push(Buffer.from(tail)), ...decoder.end()];
    const deltas = ofType(events, "text_delta");
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((d) => d.messageId)).toEqual(deltas.map(() => id));
  });

  it("puts banner lines on stdout that decode as invalid_line", async () => {
    const r = await run(STREAM, { input: "@fake not-json\n@fake hello" });
    expect(r.events.map((e) => e.type)).toEqual([
      "invalid_line",
      "invalid_line",
      "invalid_line",
      "init",
      "text",
      "result",
    ]);
  });

  it("fails an API call like Claude Code 2.1: synthetic error message, is_error result, exit 1", async () => {
    const r = await run(STREAM, { input: "@fake api-error status=500" });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.events.map((e) => e.type)).toEqual(["init", "notice", "result"]);
    expect(ofType(r.events, "notice")[0]).toMatchObject({ level: "error", kind: "api_error" });
    expect(ofType(r.events, "result")[0]).toMatchObject({ subtype: "success", isError: true });
    expect(ofType(r.events, "result")[0]?.text).toContain("API Error: 500");
  });

  it("writes hostile markup as plain text", async () => {
    const r = await run(STREAM, { input: "@fake hostile" });
    expect(ofType(r.events, "text")[0]?.text).toContain("<img src=x onerror=alert(1)>");
  });
});

describe("fake-claude signals", () => {
  it("ends with an error_during_execution result and exit 0 on SIGINT", async () => {
    const run = start(STREAM, { input: "@fake silence ms=60000" });
    await run.waitFor((e) => e.type === "init");
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(0);
    expect(r.events.slice(-2)).toEqual([
      expect.objectContaining({
        type: "notice",
        kind: "user_message",
        message: "[Request interrupted by user]",
      }),
      expect.objectContaining({ type: "result", subtype: "error_during_execution", isError: true }),
    ]);
  });

  it("ignores SIGINT when asked, until SIGKILL", async () => {
    const run = start(STREAM, { input: "@fake hello\n@fake ignore-sigint" });
    await run.waitFor((e) => e.type === "text");
    run.child.kill("SIGINT");
    // The fake says on stderr that it ignored the signal; wait for that before the SIGKILL.
    await new Promise<void>((resolve) => {
      run.child.stderr.on(
        "data",
        (c: Buffer) => c.toString().includes("ignoring SIGINT") && resolve(),
      );
    });
    run.child.kill("SIGKILL");
    const r = await run.done;
    expect(r.signal).toBe("SIGKILL");
    expect(ofType(r.events, "result")).toHaveLength(0);
  });

  it("starts sleep children, one in its own session", async () => {
    const run = start(STREAM, { input: "@fake child count=2 ms=0" });
    const r = await run.done;
    const report = childReport.parse(JSON.parse(ofType(r.events, "text")[0]?.text ?? "{}"));
    expect(report.children.map((c) => c.ownSession)).toEqual([false, true]);
    for (const c of report.children) {
      // Both outlive the fake (nobody killed them): the runner's job is to do that.
      expect(() => process.kill(c.pid, 0)).not.toThrow();
      const sid = readFileSync(`/proc/${c.pid}/stat`, "utf8").split(") ")[1]?.split(" ")[3];
      expect(sid === String(c.pid)).toBe(c.ownSession);
      process.kill(c.pid, "SIGKILL");
    }
  });
});

describe("fake-claude account commands", () => {
  it("auth status: JSON, exit 1 logged out, api_key / oauth_token from the environment", async () => {
    const out = await run(["auth", "status"], { env: { HOME: join(home, "acct") } });
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout.toString())).toMatchObject({
      loggedIn: false,
      authMethod: "none",
    });
    const key = await run(["auth", "status", "--json"], {
      env: { HOME: join(home, "acct"), ANTHROPIC_API_KEY: "k" },
    });
    expect(key.code).toBe(0);
    expect(JSON.parse(key.stdout.toString())).toMatchObject({
      authMethod: "api_key",
      apiKeySource: "ANTHROPIC_API_KEY",
    });
    const token = await run(["auth", "status"], {
      env: { HOME: join(home, "acct"), CLAUDE_CODE_OAUTH_TOKEN: "t" },
    });
    expect(JSON.parse(token.stdout.toString())).toMatchObject({ authMethod: "oauth_token" });
  });

  it("auth login and setup-token need a terminal, like the real CLI; logout always works", async () => {
    for (const args of [["auth", "login"], ["setup-token"]]) {
      const r = await run(args, { input: "fake-good-code\n" });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("Raw mode is not supported");
    }
    const out = await run(["auth", "logout"]);
    expect(out.code).toBe(0);
    expect(out.stdout.toString()).toContain("Successfully logged out");
  });
});
