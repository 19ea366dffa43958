import {
  apiErrorSchema,
  ideaMetaSchema,
  usageResponseSchema,
  type IdeaMeta,
  type RunMode,
  type TokenCounts,
} from "@catalyst/shared";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import type { FakeRun } from "../../test/server-fake-runner.js";
import { ManualClock } from "../clock.test-helpers.js";

const S1 = "11111111-1111-4111-8111-111111111111";
const S2 = "22222222-2222-4222-8222-222222222222";

let h: Harness | null = null;
let dataDir: string | null = null;
afterEach(async () => {
  await h?.cleanup();
  h = null;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = null;
});

async function create(title: string): Promise<IdeaMeta> {
  const res = await h!.json("/api/ideas", "POST", { title });
  return ideaMetaSchema.parse(await res.json());
}
const meta = async (id: string) =>
  ideaMetaSchema.parse(await (await h!.api(`/api/ideas/${id}`)).json());

/** Starts a run and returns it (the FakeRunner's). */
async function start(id: string, mode: RunMode = "chat"): Promise<FakeRun> {
  const res = await h!.json(`/api/ideas/${id}/${mode}`, "POST", { message: "go" });
  expect(res.status).toBe(202);
  return h!.runner.nextRun();
}

/** What the CLI reports at the end: the session's totals (cost and modelUsage), like the real one. */
function result(
  run: FakeRun,
  sessionId: string,
  opts: {
    totalUsd: number;
    session?: TokenCounts;
    usage?: Record<string, number>;
    turns: number;
    subtype?: string;
  },
) {
  return run.emit({
    type: "result",
    parentToolUseId: null,
    subtype: opts.subtype ?? "success",
    isError: (opts.subtype ?? "success") !== "success",
    costUsd: opts.totalUsd,
    durationMs: 1,
    numTurns: opts.turns,
    text: "done",
    errors: [],
    permissionDenials: [],
    sessionId,
    usage: opts.usage ?? null,
    sessionTokens: opts.session ?? null,
  });
}

async function finished(run: FakeRun) {
  run.finish();
  await h!.catalyst.runs.whenIdle();
  await h!.catalyst.usage.flushed();
}

async function usage(query = "") {
  const res = await h!.api(`/api/usage${query}`);
  expect(res.status).toBe(200);
  return usageResponseSchema.parse(await res.json());
}

const tokens = (i: number, o: number, r: number, w: number): TokenCounts => ({
  inputTokens: i,
  outputTokens: o,
  cacheReadTokens: r,
  cacheWriteTokens: w,
});

/**
 * Three runs by hand:
 *  A/chat, new session S1, 30 Nov: $0.25, 1000 in, 200 out, 30 read, 40 written, 2 turns.
 *  A/chat, resumes S1, 1 Dec: the CLI reports the session's $0.40 and (1600, 260, 130, 40):
 *    its own share is $0.15 and (600, 60, 100, 0), 1 turn.
 *  B/build, new session S2, 1 Dec: $0.05, no modelUsage: `usage` (10 in, 5 out), 3 turns.
 */
async function threeRuns(clock: ManualClock) {
  const a = await create("Kite, with a motor");
  const b = await create("=SUM(1) spreadsheet");
  let run = await start(a.id);
  run.started().init(S1);
  result(run, S1, { totalUsd: 0.25, session: tokens(1000, 200, 30, 40), turns: 2 });
  await finished(run);
  clock.advance(2 * 60_000); // 30 Nov 23:59 -> 1 Dec 00:01 UTC
  run = await start(a.id);
  expect(run.spec.resumeSessionId).toBe(S1);
  run.started().init(S1);
  result(run, S1, { totalUsd: 0.4, session: tokens(1600, 260, 130, 40), turns: 1 });
  await finished(run);
  run = await start(b.id, "build");
  run.started().init(S2);
  result(run, S2, { totalUsd: 0.05, usage: { input_tokens: 10, output_tokens: 5 }, turns: 3 });
  await finished(run);
  return { a, b };
}

const ALL = {
  costUsd: 0.45,
  inputTokens: 1610,
  outputTokens: 265,
  cacheReadTokens: 130,
  cacheWriteTokens: 40,
  runs: 3,
  turns: 6,
};

describe("GET /api/usage", () => {
  it("sums cost, tokens, runs and turns without counting a resumed session twice", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 23, 59));
    dataDir = await mkdtemp(join(tmpdir(), "catalyst-usage-"));
    h = await makeHarness({ clock, dataDir });
    const { a, b } = await threeRuns(clock);
    expect((await meta(a.id)).totalCostUsd).toBe(0.4);

    const byDay = await usage();
    expect(byDay.totals).toEqual(ALL);
    expect(byDay.groups.map((g) => [g.key, g.costUsd, g.inputTokens, g.runs])).toEqual([
      ["2026-11-30", 0.25, 1000, 1],
      ["2026-12-01", 0.2, 610, 2],
    ]);
    expect(byDay.limits).toEqual({
      runBudgetUsd: null,
      monthlyBudgetUsd: null,
      month: "2026-12",
      monthSpentUsd: 0.2,
    });

    const byIdea = await usage("?groupBy=idea");
    expect(byIdea.groups).toEqual([
      {
        key: a.id,
        label: "Kite, with a motor",
        ...tokens(1600, 260, 130, 40),
        costUsd: 0.4,
        runs: 2,
        turns: 3,
      },
      {
        key: b.id,
        label: "=SUM(1) spreadsheet",
        ...tokens(10, 5, 0, 0),
        costUsd: 0.05,
        runs: 1,
        turns: 3,
      },
    ]);
    const onlyB = await usage(`?ideaId=${b.id}`);
    expect(onlyB.totals).toEqual({ ...tokens(10, 5, 0, 0), costUsd: 0.05, runs: 1, turns: 3 });
    const byMode = await usage("?groupBy=mode&from=2026-12-01&to=2026-12-01");
    expect(byMode.totals).toMatchObject({ costUsd: 0.2, runs: 2 });
    expect(byMode.groups.map((g) => [g.key, g.costUsd])).toEqual([
      ["chat", 0.15],
      ["build", 0.05],
    ]);

    const csv = await h.api("/api/usage?groupBy=idea&format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toContain("catalyst-usage-by-idea.csv");
    expect((await csv.text()).split("\r\n")).toEqual([
      "ideaId,title,costUsd,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,runs,turns",
      `${a.id},"Kite, with a motor",0.4,1600,260,130,40,2,3`,
      `${b.id},'=SUM(1) spreadsheet,0.05,10,5,0,0,1,3`,
      "total,,0.45,1610,265,130,40,3,6",
      "",
    ]);
  });

  it("rebuilds the index from the transcripts when it is missing, and finds a run it lacks", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 23, 59));
    dataDir = await mkdtemp(join(tmpdir(), "catalyst-usage-"));
    h = await makeHarness({ clock, dataDir });
    await threeRuns(clock);
    const index = join(dataDir, "usage.ndjson");
    const lines = (await readFile(index, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(3);
    await h.catalyst.close();

    await rm(index);
    h = await makeHarness({ clock, dataDir });
    expect((await usage()).totals).toEqual(ALL);
    await h.catalyst.close();

    // As if the server had stopped before writing the last run's line.
    await writeFile(index, `${lines.slice(0, 2).join("\n")}\n`);
    h = await makeHarness({ clock, dataDir });
    expect((await usage()).totals).toEqual(ALL);
    await h.catalyst.close();
    // Found once: the next start reads the index alone.
    h = await makeHarness({ clock, dataDir });
    expect((await usage()).totals).toEqual(ALL);
  });

  it("refuses a range that is not one", async () => {
    h = await makeHarness();
    for (const q of [
      "?from=2026-13-01",
      "?from=yesterday",
      "?from=2026-12-02&to=2026-12-01",
      "?groupBy=week",
    ]) {
      const res = await h.api(`/api/usage${q}`);
      expect(res.status).toBe(400);
      expect(apiErrorSchema.parse(await res.json()).error.code).toBe("bad_request");
    }
  });
});

describe("budgets", () => {
  const refusal = async (id: string) => {
    const res = await h!.json(`/api/ideas/${id}/chat`, "POST", { message: "go" });
    expect(res.status).toBe(402);
    return apiErrorSchema.parse(await res.json()).error;
  };

  it("sets and clears an idea's budget, and refuses a bad one", async () => {
    h = await makeHarness();
    const a = await create("Kite");
    const set = await h.json(`/api/ideas/${a.id}`, "PATCH", { budgetUsd: 2.5 });
    expect(ideaMetaSchema.parse(await set.json()).budgetUsd).toBe(2.5);
    for (const bad of [-1, "5", 2_000_000]) {
      const res = await h.json(`/api/ideas/${a.id}`, "PATCH", { budgetUsd: bad });
      expect(res.status).toBe(400);
      expect(apiErrorSchema.parse(await res.json()).error.message).toMatch(/budgetUsd/);
    }
    const cleared = await h.json(`/api/ideas/${a.id}`, "PATCH", { budgetUsd: null });
    expect(ideaMetaSchema.parse(await cleared.json()).budgetUsd).toBeNull();
  });

  it("refuses a run once the idea's budget is spent, and caps the next at what is left", async () => {
    h = await makeHarness({ runBudgetUsd: 2 });
    const a = await create("Kite");
    let run = await start(a.id);
    // No idea budget yet: the run budget is the cap.
    expect(run.spec.maxBudgetUsd).toBe(2);
    run.started().init(S1);
    result(run, S1, { totalUsd: 0.25, turns: 1 });
    await finished(run);

    await h.json(`/api/ideas/${a.id}`, "PATCH", { budgetUsd: 0.2 });
    expect(await refusal(a.id)).toEqual({
      code: "budget_exceeded",
      message:
        "This idea's budget of $0.20 is used up: its runs have cost $0.25. Raise the budget to run it again.",
    });
    expect(h.runner.runs).toHaveLength(1);

    await h.json(`/api/ideas/${a.id}`, "PATCH", { budgetUsd: 1 });
    run = await start(a.id);
    expect(run.spec.maxBudgetUsd).toBe(0.75);
    run.started().init(S1);
    // The CLI stopped the run at the cap: the session's total is 0.25 + 1.0.
    result(run, S1, { totalUsd: 1.0, turns: 1, subtype: "error_max_budget_usd" });
    await finished(run);
    expect((await meta(a.id)).totalCostUsd).toBe(1);
    expect((await refusal(a.id)).message).toContain("budget of $1.00 is used up");
  });

  it("refuses every idea's run once the month's budget is spent, and counts runs going on", async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
    h = await makeHarness({ clock, monthlyBudgetUsd: 1 });
    const a = await create("Kite");
    const b = await create("Boat");
    const running = await start(a.id);
    expect(running.spec.maxBudgetUsd).toBe(1);
    running.started().init(S1);
    result(running, S1, { totalUsd: 0.6, turns: 1 });
    await vi.waitFor(async () => expect((await meta(a.id)).totalCostUsd).toBe(0.6));
    // B's cap is what A's run has left of the month, while A's run goes on.
    const other = await start(b.id);
    expect(other.spec.maxBudgetUsd).toBe(0.4);
    other.started().init(S2);
    result(other, S2, { totalUsd: 0.4, turns: 1 });
    other.finish();
    await vi.waitFor(() => expect(h!.catalyst.usage.runs()).toHaveLength(1));
    const error = await refusal(b.id);
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toContain("MONTHLY_BUDGET_USD");
    expect(error.message).toContain("November 2026 (UTC)");
    await finished(running);
    clock.advance(13 * 3600_000); // 1 December, 01:00 UTC: a new month
    const next = await start(b.id);
    expect(next.spec.maxBudgetUsd).toBe(1);
    next.started().finish();
  });
});
