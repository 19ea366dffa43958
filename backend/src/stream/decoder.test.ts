import type { ClaudeEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { createStderrDecoder, createStreamDecoder } from "./index.js";

function decodeChunks(chunks: Buffer[], maxLineBytes?: number): ClaudeEvent[] {
  const d = createStreamDecoder(maxLineBytes === undefined ? {} : { maxLineBytes });
  const events: ClaudeEvent[] = [];
  for (const c of chunks) events.push(...d.push(c));
  events.push(...d.end());
  return events;
}

const texts = (events: ClaudeEvent[]) =>
  events.map((e) => (e.type === "text" || e.type === "invalid_line" ? e.text : e.type));

function assistantText(text: string, id: string): string {
  return JSON.stringify({
    type: "assistant",
    message: {
      id,
      type: "message",
      role: "assistant",
      model: "m",
      content: [{ type: "text", text }],
    },
    parent_tool_use_id: null,
    session_id: "s",
    uuid: "u",
  });
}

// Two-, three- and four-byte characters, combining marks, emoji with ZWJ and skin tone, RTL.
const UNICODE = [
  "héllo wörld ñ ç ß",
  "日本語のテキスト、中文字符",
  "emoji 👩🏽‍💻 🧑‍🤝‍🧑 🇫🇷 ✨",
  "עברית العربية",
  "e\u0301 a\u0308 \u{10FFFF} \u{1F600}",
];
const SAMPLE = Buffer.from(
  UNICODE.map((t, i) => assistantText(t, `msg_${i}`)).join("\n") + "\nnot json: ünïcödé\n",
);
const EXPECTED = [...UNICODE, "not json: ünïcödé"];

describe("stream decoder", () => {
  it("decodes a unicode-heavy sample split into two chunks at every byte offset", () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      const events = decodeChunks([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)]);
      expect(texts(events), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it("decodes the same sample fed one byte at a time", () => {
    const chunks = [...SAMPLE].map((b) => Buffer.from([b]));
    expect(texts(decodeChunks(chunks))).toEqual(EXPECTED);
  });

  it("treats \\r\\n as a line end and skips blank lines", () => {
    const input = `\r\n${assistantText("a", "m1")}\r\n\r\n   \n${assistantText("b", "m2")}\r\n`;
    expect(texts(decodeChunks([Buffer.from(input)]))).toEqual(["a", "b"]);
  });

  it("delivers a final line without a newline at end of stream", () => {
    const d = createStreamDecoder();
    expect(d.push(Buffer.from(assistantText("last", "m1")))).toEqual([]);
    expect(texts(d.end())).toEqual(["last"]);
  });

  it("keeps a non-JSON line as invalid_line and goes on", () => {
    const input = `Welcome to Ubuntu\n${assistantText("after", "m1")}\n{"broken": \n`;
    expect(decodeChunks([Buffer.from(input)])).toEqual([
      { type: "invalid_line", parentToolUseId: null, text: "Welcome to Ubuntu" },
      expect.objectContaining({ type: "text", text: "after" }),
      { type: "invalid_line", parentToolUseId: null, text: '{"broken": ' },
    ]);
  });

  it("turns a line over the limit into one stream_error and resumes at the next line", () => {
    const long = assistantText("x".repeat(5000), "big");
    const input = Buffer.from(
      `${assistantText("before", "m1")}\n${long}\n${assistantText("after", "m2")}\n`,
    );
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += 100) chunks.push(input.subarray(i, i + 100));
    const events = decodeChunks(chunks, 1000);
    expect(texts(events)).toEqual(["before", "stream_error", "after"]);
    expect(events[1]).toMatchObject({
      type: "stream_error",
      code: "line_too_long",
      bytes: Buffer.byteLength(long),
    });
  });

  it("decodes a 16 MiB line arriving in 1 KiB chunks", () => {
    const big = "é".repeat(8 * 1024 * 1024); // 16 MiB of two-byte characters
    const line = Buffer.from(`${assistantText(big, "m")}\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < line.length; i += 1024) chunks.push(line.subarray(i, i + 1024));
    const events = decodeChunks(chunks);
    expect(events).toHaveLength(1);
    expect(events[0]?.type === "text" && events[0].text === big).toBe(true);
  });

  it("never throws, whatever the bytes", () => {
    const d = createStreamDecoder({ maxLineBytes: 64 });
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pieces = [
      "{",
      "}",
      "[",
      "]",
      '"type"',
      ":",
      '"assistant"',
      '"message"',
      "null",
      "\n",
      "\xff",
      "é",
      "1e999",
      ",",
    ];
    for (let i = 0; i < 20000; i++) {
      const s = pieces[Math.floor(rand() * pieces.length)] ?? "";
      expect(() => d.push(Buffer.from(s, s === "\xff" ? "latin1" : "utf8"))).not.toThrow();
    }
    expect(() => d.end()).not.toThrow();
  });
});

describe("stderr decoder", () => {
  it("turns each non-blank stderr line into a stderr event, split anywhere", () => {
    const input = Buffer.from("No conversation found with session ID: ü\r\n\nsecond line");
    for (let cut = 0; cut <= input.length; cut++) {
      const d = createStderrDecoder();
      const events = [
        ...d.push(input.subarray(0, cut)),
        ...d.push(input.subarray(cut)),
        ...d.end(),
      ];
      expect(events).toEqual([
        { type: "stderr", parentToolUseId: null, text: "No conversation found with session ID: ü" },
        { type: "stderr", parentToolUseId: null, text: "second line" },
      ]);
    }
  });
});
