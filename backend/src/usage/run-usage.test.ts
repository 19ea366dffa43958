import type { TokenCounts, TranscriptEntry, TranscriptEvent } from "@catalyst/shared";
import { runFinished, runStarted } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { createRunFold } from "./run-usage.js";

const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";
const IDEA = "a".repeat(21);

const t = (i: number, o: number, r = 0, w = 0): TokenCounts => ({
  inputTokens: i,
  outputTokens: o,
  cacheReadTokens: r,
  cacheWriteTokens: w,
});

let seq = 0;
const entry = (runId: string, event: TranscriptEvent): TranscriptEntry => ({
  seq: ++seq,
  ts: `2026-11-30T12:00:${String(seq % 60).padStart(2, "0")}.000Z`,
  runId,
  event,
});
const started = (runId: string, resume: string | null) =>
  entry(
    runId,
    runStarted({
      runId,
      mode: "build",
      prompt: "go",
      resumeSessionId: resume,
      target: "local",
      startedAt: "2026-11-30T12:00:00.000Z",
    }),
  );
const init = (runId: string, sessionId: string) =>
  entry(runId, {
    type: "init",
    parentToolUseId: null,
    sessionId,
    model: "m",
    cwd: "/p",
    tools: [],
    permissionMode: null,
    cliVersion: "2.1.330",
  });
const result = (
  runId: string,
  costUsd: number,
  session: TokenCounts,
  turns: number,
  parent: string | null = null,
) =>
  entry(runId, {
    type: "result",
    parentToolUseId: parent,
    subtype: "success",
    isError: false,
    costUsd,
    durationMs: 1,
    numTurns: turns,
    text: null,
    errors: [],
    permissionDenials: [],
    sessionId: null,
    usage: null,
    sessionTokens: session,
  });
const finished = (runId: string) =>
  entry(runId, runFinished({ runId, outcome: "completed", exitCode: 0, durationMs: 1 }));

describe("createRunFold", () => {
  it("takes a run's largest figures, not the sum of results that repeat running totals", () => {
    const fold = createRunFold(IDEA, new Map());
    for (const e of [started("r1", null), init("r1", S1), result("r1", 0.1, t(100, 10), 1)]) {
      expect(fold.take(e)).toBeNull();
    }
    expect(fold.openCostUsd()).toBe(0.1);
    // A cancel's result repeats the totals; a subagent's result is not the run's.
    fold.take(result("r1", 0.1, t(100, 10), 1));
    fold.take(result("r1", 9, t(9000, 900), 9, "toolu_1"));
    expect(fold.take(finished("r1"))).toMatchObject({
      costUsd: 0.1,
      ...t(100, 10),
      turns: 1,
      sessionId: S1,
      sessionTokens: t(100, 10),
    });
    expect(fold.openCostUsd()).toBe(0);
  });

  it("takes off what the resumed session had reported, and nothing for a new session", () => {
    const bases = new Map<string, TokenCounts>([[S1, t(100, 10, 5, 1)]]);
    const fold = createRunFold(IDEA, bases);
    fold.take(started("r2", S1));
    fold.take(init("r2", S1));
    fold.take(result("r2", 0.05, t(150, 14, 25, 1), 1));
    expect(fold.take(finished("r2"))).toMatchObject(t(50, 4, 20, 0));
    expect(bases.get(S1)).toEqual(t(150, 14, 25, 1));

    // The session was gone: the CLI began S2, whose totals are all this run's.
    fold.take(started("r3", S1));
    fold.take(init("r3", S2));
    fold.take(result("r3", 0.02, t(30, 3), 1));
    expect(fold.take(finished("r3"))).toMatchObject({ ...t(30, 3), sessionId: S2 });

    // Totals below the base: the CLI did not restore the session, so they count whole.
    fold.take(started("r4", S1));
    fold.take(init("r4", S1));
    fold.take(result("r4", 0.01, t(20, 2), 1));
    expect(fold.take(finished("r4"))).toMatchObject(t(20, 2));
  });

  it("ignores a run_finished whose start it never saw (a run from before a restart)", () => {
    const fold = createRunFold(IDEA, new Map());
    expect(fold.take(finished("r9"))).toBeNull();
  });
});
