import { describe, expect, it } from "vitest";
import { serverMessageSchema, transcriptEntrySchema } from "./protocol.js";

const entry = {
  seq: 3,
  ts: "2026-01-01T00:00:00.000Z",
  runId: "r1",
  event: { type: "text", parentToolUseId: null, messageId: null, text: "hi" },
};

describe("transcript entries", () => {
  it("accept an entry with the src of a decoded event and one without (older transcripts, server-made events)", () => {
    const src = { stream: "out", line: 4096, index: 1 };
    expect(transcriptEntrySchema.parse({ ...entry, src }).src).toEqual(src);
    expect(transcriptEntrySchema.parse(entry).src).toBeUndefined();
    // The page gets entries as they are stored: the same with `type` and `ideaId`.
    const message = serverMessageSchema.parse({ ...entry, src, type: "event", ideaId: "i1" });
    expect(message).toMatchObject({ type: "event", src });
  });

  it("refuse a src that cannot be a place in an output file", () => {
    for (const src of [
      { stream: "stdin", line: 0, index: 0 },
      { stream: "out", line: -1, index: 0 },
      { stream: "err", line: 0, index: 0.5 },
    ]) {
      expect(transcriptEntrySchema.safeParse({ ...entry, src }).success).toBe(false);
    }
  });
});
