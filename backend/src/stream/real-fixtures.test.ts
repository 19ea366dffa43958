// Real captures of the CLI (fixtures/real/, from helper real-cli): all known events, one final result.
import { claudeEventSchema } from "@catalyst/shared";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeFile, known, realCaptureFiles, REAL_FIXTURES_DIR as REAL } from "./fixture-files.js";

describe("real captures (fixtures/real, from helper real-cli)", () => {
  // From index.json: a listed capture whose file is gone fails below instead of being skipped.
  const files = realCaptureFiles();

  it("exist, every one listed in index.json and no other", () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
    expect(
      readdirSync(REAL)
        .filter((f) => f.endsWith(".ndjson"))
        .sort(),
    ).toEqual([...files].sort());
  });

  it("map every line to known events of the union", () => {
    for (const f of files) {
      const path = join(REAL, f);
      const lines = readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim());
      const events = decodeFile(path);
      expect(
        events.filter((e) => !known(e)),
        f,
      ).toEqual([]);
      for (const e of events) expect(claudeEventSchema.safeParse(e).success, f).toBe(true);
      // Every line yields something, except the silent stream bookkeeping lines.
      const silent = lines.filter(
        (l) => /"type":"stream_event"/.test(l) && !/content_block_delta/.test(l),
      ).length;
      expect(events.length, f).toBeGreaterThanOrEqual(lines.length - silent);
    }
  });

  it("end with exactly one result, the last event", () => {
    for (const f of files) {
      const events = decodeFile(join(REAL, f));
      expect(
        events.filter((e) => e.type === "result"),
        f,
      ).toHaveLength(1);
      expect(events.at(-1)?.type, f).toBe("result");
    }
  });

  it("give a resumed run's session tokens from modelUsage, restored ones and subagents included", () => {
    // resume.ndjson: `usage` is this process's 2568 input tokens, modelUsage the session's 5106;
    // subagent.ndjson: `usage` leaves out the subagent's tokens, modelUsage has them.
    const last = (f: string) => decodeFile(join(REAL, f)).at(-1);
    expect(last("resume.ndjson")).toMatchObject({
      usage: expect.objectContaining({ input_tokens: 2568 }),
      sessionTokens: {
        inputTokens: 5106,
        outputTokens: 24,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
      },
    });
    expect(last("subagent.ndjson")).toMatchObject({
      usage: expect.objectContaining({ input_tokens: 5334 }),
      sessionTokens: expect.objectContaining({ inputTokens: 7461, outputTokens: 75 }),
    });
    expect(last("error-401.ndjson")).toMatchObject({ sessionTokens: null });
  });

  it("stream deltas that add up to the whole text block", () => {
    const events = decodeFile(join(REAL, "partial-read.ndjson"));
    const texts = events.filter((e) => e.type === "text");
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) {
      const deltas = events.filter((e) => e.type === "text_delta" && e.messageId === t.messageId);
      expect(deltas.map((d) => (d.type === "text_delta" ? d.text : "")).join("")).toBe(t.text);
    }
  });
});
