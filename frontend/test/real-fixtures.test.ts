// The transcript store against real Claude Code output: every captured fixture, decoded by the
// backend's decoder, folds into chat items with each text block shown once (deltas merged), no
// transient notice as a line, and a failed run's error said once.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  runFinished,
  runStarted,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";
import { describeOutcome, resultFailure } from "@catalyst/backend";
import { createStreamDecoder } from "@catalyst/backend/stream";
import {
  readRealIndex,
  realCaptureFiles,
  REAL_FIXTURES_DIR,
} from "@catalyst/backend/stream/fixtures";
import {
  createTranscriptStore,
  type Item,
  type StreamedItem,
  type ToolItem,
} from "../src/stores/transcript.js";

const dir = REAL_FIXTURES_DIR;
const T0 = "2026-01-01T00:00:00Z";
// From index.json: a listed capture whose file is missing fails its test instead of vanishing.
const fixtures = realCaptureFiles();

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
      runStarted({ runId, mode: "chat", prompt: name, target: "local", startedAt: T0 }),
      ...events,
      runFinished({ runId, outcome: "completed", exitCode: 0, durationMs: 1 }),
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

// How each capture ended (index.json), turned into the run_finished the server would send.
const captures = readRealIndex().captures;

function itemTexts(i: Item): string[] {
  switch (i.kind) {
    case "text":
      return [i.text()];
    case "notice":
    case "error":
      return [i.message];
    case "footer":
      return i.message ? [i.message] : [];
    default:
      return [];
  }
}

describe("transcript store on real CLI runs, as the server ends them", () => {
  it.each(captures)("$name: no status or allowed-rate-limit lines, errors said once", (cap) => {
    const decoder = createStreamDecoder();
    const events: TranscriptEvent[] = [
      ...decoder.push(readFileSync(`${dir}/${cap.name}.ndjson`)),
      ...decoder.end(),
    ];
    const stderr = cap.stderr.split("\n").filter((l) => l.trim());
    // As the server's output pump does: an error result explains a failure.
    const errorResult = events.find((e) => e.type === "result" && e.isError);
    const failure = errorResult?.type === "result" ? resultFailure(errorResult) : null;
    const [outcome, message] = describeOutcome({
      stop: cap.name.startsWith("sigint") ? "cancel" : null,
      exit: { code: cap.exitCode, signal: null, lost: false },
      noCli: false,
      failure,
      lastStderr: stderr.at(-1) ?? null,
      timeoutMs: 600_000,
      host: "local",
      claudeBin: "claude",
    });
    const runId = "run-1";
    const wrapped: TranscriptEvent[] = [
      runStarted({ runId, mode: "chat", prompt: cap.name, target: "local", startedAt: T0 }),
      ...events,
      ...stderr.map((text): TranscriptEvent => ({ type: "stderr", text })),
      runFinished({
        runId,
        outcome,
        exitCode: cap.exitCode,
        durationMs: 1,
        message,
        stderrTail: outcome === "completed" ? [] : stderr,
      }),
    ];
    const t = createTranscriptStore();
    const labels = new Set<string>();
    // One entry at a time, as live frames come, to see the activity label change.
    wrapped.forEach((event, i) => {
      t.apply([{ seq: i + 1, ts: "2026-01-01T00:00:00Z", runId, event }]);
      const label = t.activity();
      if (label) labels.add(label);
    });
    const items = allItems(t.items());
    const shown = items.flatMap(itemTexts);

    const statuses = events.filter((e) => e.type === "notice" && e.kind === "status");
    expect(shown.filter((s) => s.startsWith("Status:"))).toEqual([]);
    expect(labels.has("Requesting…")).toBe(statuses.length > 0);
    expect(shown.filter((s) => /^Rate limit.*: allowed$/.test(s))).toEqual([]);
    expect(shown.filter((s) => s.includes("[ede_diagnostic]"))).toEqual([]);
    expect(t.activity()).toBeNull();
    expect(items.at(-1)?.kind).toBe("footer");
    if (outcome === "failed" && failure) {
      // The error is in the chat exactly once, marked as an error, whoever reported it.
      expect(shown.filter((s) => s.includes(failure))).toHaveLength(1);
      const said = items.find((i) => itemTexts(i).some((s) => s.includes(failure)));
      expect(said).toMatchObject({ kind: "notice", level: "error" });
      expect(items.at(-1)).toMatchObject({ kind: "footer", outcome: "failed", message: null });
    }
  });

  it("covers model errors and partial-message runs", () => {
    const names = captures.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["error-500", "error-401", "partial-read"]));
  });
});
