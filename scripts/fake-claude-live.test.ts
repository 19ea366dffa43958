// fake-claude's live session (stream-json input, stdio permission prompt), driven as the backend
// drives the real CLI: stdin stays open, answers and messages are written while it runs.
import type { ClaudeEvent } from "@catalyst/shared";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStreamDecoder } from "@catalyst/backend/stream";

const BIN = new URL("./fake-claude", import.meta.url).pathname;
const LIVE = [
  "-p",
  "--output-format",
  "stream-json",
  "--verbose",
  "--input-format",
  "stream-json",
  "--permission-prompt-tool",
  "stdio",
];

let root = "";
let home = "";
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "fake-claude-live-"));
  home = join(root, "home");
  mkdirSync(home);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function session(args: string[] = []) {
  const cwd = join(root, `p${n++}`);
  mkdirSync(cwd);
  const child = spawn(BIN, [...LIVE, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: home },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const decoder = createStreamDecoder();
  const events: ClaudeEvent[] = [];
  const listeners: (() => void)[] = [];
  child.stdout.on("data", (c: Buffer) => {
    events.push(...decoder.push(c));
    for (const l of listeners.splice(0)) l();
  });
  const exit = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  const waitFor = <T extends ClaudeEvent["type"]>(type: T, count = 1) =>
    new Promise<Extract<ClaudeEvent, { type: T }>>((resolve) => {
      const check = () => {
        const hits = events.filter((e): e is Extract<ClaudeEvent, { type: T }> => e.type === type);
        if (hits.length >= count) resolve(hits[count - 1]!);
        else listeners.push(check);
      };
      check();
    });
  const write = (v: unknown) => child.stdin.write(`${JSON.stringify(v)}\n`);
  const say = (content: string) => write({ type: "user", message: { role: "user", content } });
  const answer = (requestId: string, response: unknown) =>
    write({
      type: "control_response",
      response: { subtype: "success", request_id: requestId, response },
    });
  return { cwd, child, events, exit, waitFor, say, answer, write };
}

describe("fake-claude live session", () => {
  it("asks before a Bash call in build mode, runs it once allowed, and exits when stdin closes", async () => {
    const s = session(["--permission-mode", "acceptEdits"]);
    s.say('@fake tool name=Bash command="echo made > made.txt"');
    const req = await s.waitFor("permission_request");
    expect(req).toMatchObject({
      toolName: "Bash",
      input: { command: "echo made > made.txt" },
      alwaysRules: ["Bash(echo made *)"],
    });
    expect(s.events.some((e) => e.type === "result")).toBe(false);
    s.answer(req.requestId, { behavior: "allow", updatedInput: req.input });
    await s.waitFor("result");
    expect(readFileSync(join(s.cwd, "made.txt"), "utf8")).toBe("made\n");
    expect(s.child.exitCode).toBeNull(); // still live: stdin is open
    s.child.stdin.end();
    expect(await s.exit).toBe(0);
  });

  it("tells the model a deny's message and lists the denial", async () => {
    const s = session(["--permission-mode", "acceptEdits"]);
    s.say('@fake tool name=Bash command="rm -rf /"');
    const req = await s.waitFor("permission_request");
    s.answer(req.requestId, { behavior: "deny", message: "not that one" });
    const result = await s.waitFor("result");
    const toolResult = s.events.find((e) => e.type === "tool_result");
    expect(toolResult).toMatchObject({ content: "not that one", isError: true });
    expect(result.permissionDenials.map((d) => d.toolName)).toEqual(["Bash"]);
    s.child.stdin.end();
    await s.exit;
  });

  it("keeps the rules of an always-allow and does not ask again for what they cover", async () => {
    const s = session(["--permission-mode", "acceptEdits"]);
    s.say('@fake tool name=Bash command="echo one"');
    const req = await s.waitFor("permission_request");
    s.answer(req.requestId, {
      behavior: "allow",
      updatedInput: req.input,
      updatedPermissions: req.suggestions,
    });
    await s.waitFor("result");
    expect(JSON.parse(readFileSync(join(s.cwd, ".claude/settings.local.json"), "utf8"))).toEqual({
      permissions: { allow: ["Bash(echo one *)"] },
    });
    s.say('@fake tool name=Bash command="echo one two"');
    await s.waitFor("result", 2);
    expect(s.events.filter((e) => e.type === "permission_request")).toHaveLength(1);
    s.child.stdin.end();
    await s.exit;
  });

  it("asks AskUserQuestion and reads the answer from updatedInput.answers", async () => {
    const s = session();
    s.say("@fake question");
    const req = await s.waitFor("permission_request");
    expect(req.requiresUserInteraction).toBe(true);
    const q = (req.input.questions as { question: string }[])[0]!.question;
    s.answer(req.requestId, {
      behavior: "allow",
      updatedInput: { ...req.input, answers: { [q]: "Postgres" } },
    });
    await s.waitFor("result");
    expect(s.events.some((e) => e.type === "text" && e.text === "You chose: Postgres")).toBe(true);
    s.child.stdin.end();
    await s.exit;
  });

  it("takes a second message written during a turn after it: a second init and result", async () => {
    const s = session();
    s.say("@fake slow count=3 interval=100");
    await s.waitFor("init");
    s.say("@fake hello text=second");
    const second = await s.waitFor("result", 2);
    expect(second.text).toBe("second");
    expect(s.events.filter((e) => e.type === "init")).toHaveLength(2);
    s.child.stdin.end();
    expect(await s.exit).toBe(0);
  });

  it("answers an interrupt, ends the turn as error_during_execution, and exits 1 once stdin closes", async () => {
    const s = session(["--permission-mode", "acceptEdits"]);
    s.say('@fake tool name=Bash command="echo never > never.txt"');
    await s.waitFor("permission_request");
    s.write({ type: "control_request", request_id: "int-1", request: { subtype: "interrupt" } });
    const ack = await s.waitFor("control_response");
    expect(ack).toMatchObject({ requestId: "int-1", subtype: "success" });
    const result = await s.waitFor("result");
    expect(result.subtype).toBe("error_during_execution");
    s.child.stdin.end();
    expect(await s.exit).toBe(1);
    expect(existsSync(join(s.cwd, "never.txt"))).toBe(false);
  });

  it("answers a control request it does not know with an error", async () => {
    const s = session();
    s.write({ type: "control_request", request_id: "m", request: { subtype: "mcp_message" } });
    const r = await s.waitFor("control_response");
    expect(r).toMatchObject({ requestId: "m", subtype: "error" });
    s.child.stdin.end();
    await s.exit;
  });
});
