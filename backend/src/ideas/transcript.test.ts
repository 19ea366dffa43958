import { describe, expect, it } from "vitest";
import type { Logger } from "../deps.js";
import { CHECKPOINT_EVERY, checkpointsOf, offsetFor, parseTranscript } from "./transcript.js";

function countingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
  return { logger, warnings };
}

const line = (seq: number) =>
  JSON.stringify({
    seq,
    ts: "2026-01-01T00:00:00.000Z",
    runId: null,
    event: { type: "notice", level: "info", kind: "t", message: `m${seq}` },
  });

describe("parseTranscript", () => {
  it("returns the entries after `after` and the last seq of the file", () => {
    const { logger } = countingLogger();
    const text = [1, 2, 3, 4].map(line).join("\n") + "\n";
    const { entries, lastSeq } = parseTranscript(text, logger, "t", 2);
    expect(entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(lastSeq).toBe(4);
  });

  it("skips lines at or before `after` by their seq prefix, without parsing the rest", () => {
    const { logger, warnings } = countingLogger();
    const text = `{"seq":1,this is not json\n${line(2)}\n`;
    expect(parseTranscript(text, logger, "t", 1).entries.map((e) => e.seq)).toEqual([2]);
    expect(warnings).toEqual([]);
    expect(parseTranscript(text, logger, "t", 0).entries.map((e) => e.seq)).toEqual([2]);
    expect(warnings).toHaveLength(1);
  });
});

describe("checkpoints", () => {
  it("point at the byte where every CHECKPOINT_EVERY-th line starts, and offsetFor picks the last one not past after + 1", () => {
    const lines = Array.from({ length: 3 * CHECKPOINT_EVERY }, (_, i) => `${line(i + 1)}\n`);
    const text = lines.join("");
    const cps = checkpointsOf(text);
    expect(cps.map((c) => c.seq)).toEqual([1, CHECKPOINT_EVERY + 1, 2 * CHECKPOINT_EVERY + 1]);
    for (const cp of cps) {
      expect(Buffer.from(text).subarray(cp.offset).toString().startsWith(line(cp.seq))).toBe(true);
    }
    expect(offsetFor(cps, 0)).toBe(0);
    expect(offsetFor(cps, CHECKPOINT_EVERY - 1)).toBe(0);
    expect(offsetFor(cps, CHECKPOINT_EVERY)).toBe(cps[1]?.offset);
    expect(offsetFor(cps, 10 * CHECKPOINT_EVERY)).toBe(cps[2]?.offset);
    expect(offsetFor([], 500)).toBe(0);
  });
});
