// The transcript store against real Claude Code output: every captured fixture, decoded by the
// backend's decoder, folds into chat items with each text block shown once (deltas merged).
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TranscriptEntry, TranscriptEvent } from "@catalyst/shared";
import { createStreamDecoder } from "../../backend/src/stream/index.js";
import {
  createTranscriptStore,
  type Item,
  type StreamedItem,
  type ToolItem,
} from "../src/stores/transcript.js";

const dir = fileURLToPath(new URL("../../backend/src/stream/fixtures/real/", import.meta.url));
const fixtures = readdirSync(dir).filter((f) => f.endsWith(".ndjson"));

function allItems(items: Item[]): Item[] {
  return items.flatMap((i) => (i.kind === "tool" ? [i, ...allItems(i.children())] : [i]));
}

describe("transcript store on real CLI output", () => {
  it("has fixtures to read", () => {
    expect(fixtures.length).toBeGreaterThan(5);
  });

  it.each(fixtures)("%s: every text block once, every tool result matched", (name) => {
    const decoder = createStreamDecoder();
    const events: TranscriptEvent[] = [
      ...decoder.push(readFileSync(`${dir}/${name}`)),
      ...decoder.end(),
    ];
    const runId = "run-1";
    const wrapped: TranscriptEvent[] = [
      {
        type: "run_started",
        runId,
        mode: "chat",
        prompt: name,
        resumeSessionId: null,
        target: "local",
        startedAt: "2026-01-01T00:00:00Z",
      },
      ...events,
      {
        type: "run_finished",
        runId,
        outcome: "completed",
        exitCode: 0,
        signal: null,
        durationMs: 1,
        message: null,
        stderrTail: [],
      },
    ];
    const entries: TranscriptEntry[] = wrapped.map((event, i) => ({
      seq: i + 1,
      ts: "2026-01-01T00:00:00Z",
      runId,
      event,
    }));
    const t = createTranscriptStore();
    t.apply(entries);

    const items = allItems(t.items());
    const finalTexts = events.filter((e) => e.type === "text").map((e) => e.text);
    const shown = items.filter((i): i is StreamedItem => i.kind === "text").map((i) => i.text());
    // Deltas without a final block (a dropped stream) may add items; finals must each appear once.
    for (const text of finalTexts) expect(shown.filter((s) => s === text)).toHaveLength(1);
    if (!events.some((e) => e.type === "text_delta")) expect(shown).toEqual(finalTexts);

    const results = new Set(events.flatMap((e) => (e.type === "tool_result" ? [e.toolUseId] : [])));
    const tools = items.filter((i): i is ToolItem => i.kind === "tool");
    for (const tool of tools) expect(tool.result() !== null).toBe(results.has(tool.id));
    expect(items.at(-1)?.kind).toBe("footer");
    expect(t.activeRun()).toBeNull();
  });
});
