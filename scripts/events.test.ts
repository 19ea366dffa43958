// Runs the events tool as a real process, on a file and on stdin.
import { claudeEventSchema } from "@catalyst/shared";
import { FIXTURES_DIR } from "@catalyst/backend/stream/fixtures";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const TOOL = new URL("./events.ts", import.meta.url).pathname;
const FIXTURE = join(FIXTURES_DIR, "session-2x.ndjson");

function events(
  args: string[],
  input = "",
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", TOOL, ...args], { stdio: "pipe" });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.stdin.end(input);
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

describe("npm run events", () => {
  it("prints one event of the union per line for a capture file", async () => {
    const r = await events([FIXTURE]);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => claudeEventSchema.parse(JSON.parse(l)));
    expect(lines.map((e) => e.type)).toEqual([
      "init",
      "thinking",
      "text",
      "tool_use",
      "tool_result",
      "text",
      "result",
    ]);
  });

  it("reads stdin when FILE is -, keeping banner lines as invalid_line", async () => {
    const r = await events(
      ["-"],
      'Last login: today\n{"type":"assistant","subtype":"text","text":"é"}',
    );
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      { type: "invalid_line", parentToolUseId: null, text: "Last login: today" },
      { type: "text", parentToolUseId: null, messageId: null, text: "é" },
    ]);
  });

  it("says what went wrong for a missing file or missing argument", async () => {
    const missing = await events(["/nonexistent/capture.ndjson"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("cannot read /nonexistent/capture.ndjson");
    const none = await events([]);
    expect(none.code).toBe(2);
    expect(none.err).toContain("usage:");
  });
});
