// Budgets end to end: the real local runner, scripts/fake-claude as the CLI (it restores a session's
// cost on --resume and stops at --max-budget-usd like the real one), the usage API.
import {
  apiErrorSchema,
  eventsResponseSchema,
  ideaMetaSchema,
  usageResponseSchema,
} from "@catalyst/shared";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { z } from "zod";
import { runnerFromConfig } from "../src/runs/from-config.js";
import type { Runner } from "../src/runs/runner.js";
import { api, startTestServer, testConfig } from "./server-start.js";

const FAKE_CLAUDE = fileURLToPath(new URL("../../scripts/fake-claude", import.meta.url));
const echoSchema = z.looseObject({ argv: z.array(z.string()) });

let root: string;
let runner: Runner;
let srv: Awaited<ReturnType<typeof startTestServer>>;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-budget-")));
  const env = {
    CLAUDE_BIN: FAKE_CLAUDE,
    REMOTE_ROOT: join(root, "remote"),
    DATA_DIR: join(root, "data"),
    CLAUDE_ENV: `HOME=${join(root, "home")}`,
    RUN_BUDGET_USD: "5",
  };
  runner = runnerFromConfig(testConfig(env));
  srv = await startTestServer(runner, env);
});
afterEach(async () => {
  await srv?.close();
  await runner?.close();
  await rm(root, { recursive: true, force: true });
});

const meta = async (id: string) =>
  ideaMetaSchema.parse(await (await api(srv.url, `/api/ideas/${id}`)).json());

async function chat(id: string, message: string) {
  const res = await api(srv.url, `/api/ideas/${id}/chat`, "POST", { message });
  expect(res.status).toBe(202);
  await vi.waitFor(async () => expect((await meta(id)).activeRunId).toBeNull(), {
    timeout: 15_000,
  });
}

async function events(id: string) {
  const res = await api(srv.url, `/api/ideas/${id}/events`);
  return eventsResponseSchema.parse(await res.json()).events.map((e) => e.event);
}

/** The argv of the last `@fake echo-prompt`: the command line the runner gave the CLI. */
async function lastArgv(id: string): Promise<string[]> {
  const texts = (await events(id)).flatMap((e) => (e.type === "text" ? [e.text] : []));
  const echoed = texts.filter((t) => t.startsWith("{")).at(-1) ?? "null";
  return echoSchema.parse(JSON.parse(echoed)).argv;
}

const flag = (argv: string[], name: string) => argv[argv.indexOf(name) + 1];

it("caps each run at what is left, lets the CLI stop there, counts a resumed run once, then refuses", async () => {
  const created = await api(srv.url, "/api/ideas", "POST", { title: "Kite" });
  const idea = ideaMetaSchema.parse(await created.json());
  await api(srv.url, `/api/ideas/${idea.id}`, "PATCH", { budgetUsd: 0.4 });

  await chat(
    idea.id,
    "@fake echo-prompt\n@fake cost usd=0.25 input=1000 output=200 cache-read=30 cache-write=40",
  );
  // The idea's 0.40 is less than RUN_BUDGET_USD's 5.
  expect(flag(await lastArgv(idea.id), "--max-budget-usd")).toBe("0.4");
  expect((await meta(idea.id)).totalCostUsd).toBe(0.25);

  // Resumed: the CLI reports the session's 0.75; this run's own 0.50 is over its 0.15 cap.
  await chat(
    idea.id,
    "@fake echo-prompt\n@fake cost usd=0.5 input=10 output=2 cache-read=0 cache-write=0",
  );
  const argv = await lastArgv(idea.id);
  expect(flag(argv, "--max-budget-usd")).toBe("0.15");
  expect(argv).toContain("--resume");
  const stop = (await events(idea.id)).filter((e) => e.type === "result").at(-1);
  expect(stop).toMatchObject({
    subtype: "error_max_budget_usd",
    costUsd: 0.5,
    sessionCostUsd: 0.75,
    errors: ["Reached maximum budget ($0.15)"],
  });
  expect((await meta(idea.id)).totalCostUsd).toBe(0.75);

  const refused = await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", { message: "more" });
  expect(refused.status).toBe(402);
  expect(apiErrorSchema.parse(await refused.json()).error).toEqual({
    code: "budget_exceeded",
    message:
      "This idea's budget of $0.40 is used up: its runs have cost $0.75. Raise the budget to run it again.",
  });

  // Tokens: the second run's modelUsage covers the session, (1010, 202, 30, 40): its own are
  // (10, 2, 0, 0), though its `usage` says zeros after the budget stop.
  const usage = usageResponseSchema.parse(await (await api(srv.url, "/api/usage")).json());
  expect(usage.totals).toEqual({
    costUsd: 0.75,
    inputTokens: 1010,
    outputTokens: 202,
    cacheReadTokens: 30,
    cacheWriteTokens: 40,
    runs: 2,
    turns: 4,
  });
  expect(usage.limits).toMatchObject({
    runBudgetUsd: 5,
    monthlyBudgetUsd: null,
    monthSpentUsd: 0.75,
  });
});
