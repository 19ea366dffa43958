// decodeLine against Buffer#toString("utf8"), the reference, on every kind of input.
import { describe, expect, it } from "vitest";
import { decodeLine } from "./decode-line.js";

function allCodePoints(): Buffer {
  const parts: Buffer[] = [];
  let batch: number[] = [];
  for (let c = 0; c <= 0x10ffff; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    batch.push(c);
    if (batch.length === 20000) {
      parts.push(Buffer.from(String.fromCodePoint(...batch)));
      batch = [];
    }
  }
  parts.push(Buffer.from(String.fromCodePoint(...batch)));
  return Buffer.concat(parts);
}

// mulberry32: seeded, so a failure can be replayed.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("decodeLine", () => {
  it("decodes every Unicode scalar value as UTF-8 decoding does", () => {
    const bytes = allCodePoints();
    expect(decodeLine(bytes) === bytes.toString("utf8")).toBe(true);
  });

  it("keeps a byte order mark, NULs, noncharacters and plain ASCII", () => {
    for (const text of ["\ufeff{}", "\ufeff", "a\u0000b", "\ufffe\uffff\u{10ffff}", "{}", ""]) {
      expect(decodeLine(Buffer.from(text))).toBe(text);
    }
  });

  it("replaces invalid bytes exactly as UTF-8 decoding does", () => {
    const samples = ["c0af", "eda080", "f4908080", "ff", "e282", "80", "e282ac80", "f09f98", "fe"];
    for (const hex of samples) {
      for (const around of [
        ["", ""],
        ['{"a":"', '"}'],
        ["é", "日"],
      ]) {
        const bytes = Buffer.concat([
          Buffer.from(around[0] ?? ""),
          Buffer.from(hex, "hex"),
          Buffer.from(around[1] ?? ""),
        ]);
        expect(decodeLine(bytes), hex).toBe(bytes.toString("utf8"));
      }
    }
  });

  it("agrees with UTF-8 decoding on random lines, valid or with a corrupted byte", () => {
    const rand = prng(7);
    const chars = Array.from('aZ {}"\\é日本👍\ufeff');
    let valid = 0;
    for (let i = 0; i < 3000; i++) {
      let text = "";
      for (let n = 1 + Math.floor(rand() * 40); n > 0; n--)
        text += chars[Math.floor(rand() * chars.length)];
      const bytes = Buffer.from(text);
      // A third of them get one arbitrary byte somewhere, which often makes them invalid.
      if (rand() < 0.33) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      else valid++;
      expect(decodeLine(bytes), bytes.toString("hex")).toBe(bytes.toString("utf8"));
    }
    expect(valid).toBeGreaterThan(1000);
  });
});
