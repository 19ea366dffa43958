import { describe, expect, it } from "vitest";
import { createLineSplitter } from "./line-splitter.js";

type Item = { line: string } | { tooLong: number };

function split(chunks: (string | Buffer)[], maxLineBytes?: number): Item[] {
  const items: Item[] = [];
  const s = createLineSplitter(
    {
      line: (b) => items.push({ line: b.toString("utf8") }),
      tooLong: (n) => items.push({ tooLong: n }),
    },
    maxLineBytes === undefined ? {} : { maxLineBytes },
  );
  for (const c of chunks) s.push(typeof c === "string" ? Buffer.from(c) : c);
  s.end();
  return items;
}

describe("line splitter", () => {
  it("cuts lines at \\n and \\r\\n and skips blank lines", () => {
    expect(split(["a\nb\r\n\n\r\nc"])).toEqual([{ line: "a" }, { line: "b" }, { line: "c" }]);
  });

  it("joins a line spread over many chunks, including a \\r\\n split between chunks", () => {
    expect(split(["ab", "c", "d\r", "\ne", "f"])).toEqual([{ line: "abcd" }, { line: "ef" }]);
  });

  it("accepts plain Uint8Arrays as well as Buffers", () => {
    const items: string[] = [];
    const s = createLineSplitter({ line: (b) => items.push(b.toString()), tooLong: () => {} });
    s.push(new TextEncoder().encode("x\ny"));
    s.end();
    expect(items).toEqual(["x", "y"]);
  });

  it("reports a line over the limit once, by its size, and resumes at the next line", () => {
    const long = "x".repeat(100);
    expect(split(["ok\n", long.slice(0, 30), long.slice(30), "\nnext\n"], 50)).toEqual([
      { line: "ok" },
      { tooLong: 100 },
      { line: "next" },
    ]);
  });

  it("counts a line of exactly the limit as fine, and a \\r before \\n is not part of it", () => {
    expect(split(["12345\r\n", "123456\n"], 5)).toEqual([{ line: "12345" }, { tooLong: 6 }]);
    expect(split(["12345\r", "\n"], 5)).toEqual([{ line: "12345" }]);
  });

  it("reports an over-long final line that has no newline", () => {
    expect(split(["a\n", "y".repeat(20)], 10)).toEqual([{ line: "a" }, { tooLong: 20 }]);
  });

  it("holds no more than the limit while dropping a long line", () => {
    const items: Item[] = [];
    const s = createLineSplitter(
      {
        line: (b) => items.push({ line: b.toString() }),
        tooLong: (n) => items.push({ tooLong: n }),
      },
      { maxLineBytes: 1024 },
    );
    let maxHeld = 0;
    for (let i = 0; i < 64 * 1024; i++) {
      s.push(Buffer.alloc(1024, 0x61)); // 64 MiB of one line
      maxHeld = Math.max(maxHeld, s.heldBytes());
    }
    s.push(Buffer.from("\nafter\n"));
    expect(items).toEqual([{ tooLong: 64 * 1024 * 1024 }, { line: "after" }]);
    expect(maxHeld).toBeLessThanOrEqual(1025);
    expect(s.heldBytes()).toBe(0);
  });
});
