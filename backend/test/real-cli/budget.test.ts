// The real CLI (against the mock model) under an idea's budget: the cap reaches it as
// --max-budget-usd, it stops there with error_max_budget_usd, the server counts that resumed run
// once (cost and tokens), and the next run is refused.
import {
  apiErrorSchema,
  ideaMetaSchema,
  usageResponseSchema,
  type TranscriptEvent,
} from "@catalyst/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../require-service.js";
import { claudeVersion, startRig, type Rig } from "./harness.js";

const version = claudeVersion();
const hasClaude = requireService(
  "claude CLI",
  version !== null,
  "run `npm run --silent install-claude` (installs the pinned CLI into .cache/)",
);
const timeout = 90_000;

const results = (events: TranscriptEvent[]) =>
  events.filter((e): e is Extract<TranscriptEvent, { type: "result" }> => e.type === "result");

describe.skipIf(!hasClaude)(`budgets with the real CLI (${version})`, { timeout }, () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ ssh: false });
  }, timeout);
  afterAll(async () => {
    await rig?.close();
  });

  it("stops a resumed run at what is left of the idea's budget and counts it once", async () => {
    await rig.model.script([{ type: "text", text: "Hello." }]);
    const idea = await rig.createIdea("Budget with the real CLI");
    const first = await rig.start(idea.id, "chat", "Hi");
    const one = results(await rig.viewer.finished(idea.id, first))[0];
    expect(one?.subtype).toBe("success");
    const spent = (await rig.meta(idea.id)).totalCostUsd;
    expect(spent).toBeGreaterThan(0);

    // A chat turn costs a few tenths of a cent against the mock model; leave less than that.
    const budget = Math.round((spent + 0.001) * 1e6) / 1e6;
    const patched = await rig.api(`/api/ideas/${idea.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ budgetUsd: budget }),
    });
    expect(ideaMetaSchema.parse(await patched.json()).budgetUsd).toBe(budget);

    await rig.model.script([{ type: "text", text: "Again." }]);
    const second = await rig.start(idea.id, "chat", "Once more");
    const events = await rig.viewer.finished(idea.id, second);
    const stop = results(events)[0];
    expect(stop).toMatchObject({
      subtype: "error_max_budget_usd",
      errors: [expect.stringMatching(/^Reached maximum budget \(\$0\.00(1|09\d*)\)$/)],
    });
    // The CLI checks after the turn: this run's own cost (its session total minus the first
    // run's) went past the cap, and the idea's total counts it once.
    const own = stop?.costUsd ?? 0;
    expect(own).toBeGreaterThan(0.001);
    expect(stop?.sessionCostUsd).toBeCloseTo(spent + own, 9);
    expect((await rig.meta(idea.id)).totalCostUsd).toBeCloseTo(spent + own, 9);

    // Its `usage` is zeroed by the CLI; the tokens come from modelUsage, minus the first run's.
    const usage = await rig.api(`/api/usage?groupBy=idea&ideaId=${idea.id}`);
    const u = usageResponseSchema.parse(await usage.json());
    expect(u.totals.runs).toBe(2);
    expect(u.totals.costUsd).toBeCloseTo(spent + own, 9);
    const firstInput = one?.usage?.input_tokens ?? 0;
    expect(u.totals.inputTokens).toBeGreaterThan(firstInput);
    expect(u.totals.inputTokens).toBeLessThan(firstInput * 3);

    const refused = await rig.api(`/api/ideas/${idea.id}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "And again" }),
    });
    expect(refused.status).toBe(402);
    expect(apiErrorSchema.parse(await refused.json()).error.code).toBe("budget_exceeded");
  });
});
