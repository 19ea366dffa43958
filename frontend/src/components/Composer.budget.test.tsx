// The composer around budgets: a refusal keeps the message and offers the raise, not Retry.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { Composer } from "./Composer.js";
import { makeServices, meta } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";
import { resultEvent } from "@catalyst/shared";

const ID = "abcdefghijklmnopqrstu";
const USED_UP =
  "This idea's budget of $0.30 is used up: its runs have cost $0.45. Raise the budget to run it again.";
const MONTHLY =
  "The server's monthly budget (MONTHLY_BUDGET_USD) of $100.00 is used up: runs have cost $100.12 in November 2026 (UTC). Runs can start again next month, or when the limit is raised.";
const refused = (message: string) => () => ({
  status: 402,
  json: { error: { code: "budget_exceeded", message } },
});
/** A run the CLI stopped at its --max-budget-usd, as the transcript records it. */
const budgetStopped = (runId: string, prompt: string) =>
  entries(runId, [
    ev.started(runId, prompt),
    resultEvent({
      subtype: "error_max_budget_usd",
      isError: true,
      costUsd: 0.2,
      durationMs: 900,
      numTurns: 1,
      errors: ["Reached maximum budget ($0.05)"],
    }),
    ev.finished(runId, "failed", "Reached maximum budget ($0.05)"),
  ]);

async function withIdea(routes: Parameters<typeof makeServices>[0], over: Record<string, unknown>) {
  const s = makeServices({
    "GET /api/ideas": () => ({ status: 200, json: [meta(ID, over)] }),
    ...routes,
  });
  await s.services.ideas[1].refresh();
  return s;
}

describe("Composer and the idea's budget", () => {
  afterEach(cleanup);

  it("shows a refusal of the used-up budget as a line that can raise it, keeps the message, offers no Retry", async () => {
    const s = await withIdea(
      { [`POST /api/ideas/${ID}/chat`]: refused(USED_UP) },
      { budgetUsd: 0.3, totalCostUsd: 0.45 },
    );
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "one more" } });
    fireEvent.click(screen.getByText("Send"));
    await waitFor(() => expect(t.items()).toHaveLength(1));
    expect(t.items()[0]).toMatchObject({ kind: "budget_refused", message: USED_UP });
    expect(box.value).toBe("one more");
    expect(screen.queryByText(/Retry/)).toBeNull();
  });

  it("says a refusal by the server's monthly budget as an error: raising the idea's would not help", async () => {
    const s = await withIdea(
      { [`POST /api/ideas/${ID}/chat`]: refused(MONTHLY) },
      { budgetUsd: 5, totalCostUsd: 0.45 },
    );
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "one more" } });
    fireEvent.click(screen.getByText("Send"));
    await waitFor(() => expect(t.items()).toHaveLength(1));
    expect(t.items()[0]).toMatchObject({ kind: "error", message: MONTHLY });
    expect(box.value).toBe("one more");
  });

  it("offers no Retry after a budget stop until the budget is raised, and gives the message back", async () => {
    const s = await withIdea(
      {
        [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1" } }),
        [`PATCH /api/ideas/${ID}`]: () => ({
          status: 200,
          json: meta(ID, { budgetUsd: 1, totalCostUsd: 0.45 }),
        }),
      },
      { budgetUsd: 0.3, totalCostUsd: 0.45 },
    );
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "plan the renamer" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(box.value).toBe(""));
    t.apply(budgetStopped("r1", "plan the renamer"));
    await waitFor(() => expect(box.value).toBe("plan the renamer"));
    expect(screen.queryByText(/Retry/)).toBeNull();

    await s.services.ideas[1].setBudget(ID, 1);
    fireEvent.click(await screen.findByText("Retry"));
    await waitFor(() => expect(s.calls.filter((c) => c.path.endsWith("/chat"))).toHaveLength(2));
  });

  it("keeps Retry hidden when the idea's spending is refreshed after the stop (its budget unchanged)", async () => {
    let spent = 0.25;
    const s = await withIdea(
      {
        [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1" } }),
        [`GET /api/ideas/${ID}`]: () => ({
          status: 200,
          json: meta(ID, { budgetUsd: 0.3, totalCostUsd: spent }),
        }),
      },
      { budgetUsd: 0.3, totalCostUsd: 0.25 },
    );
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "plan the renamer" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(box.value).toBe(""));
    t.apply(budgetStopped("r1", "plan the renamer"));
    await waitFor(() => expect(box.value).toBe("plan the renamer"));
    // The server says the idea changed (its spending, after the very run that was stopped).
    spent = 0.45;
    await s.services.ideas[1].changed(ID);
    expect(s.services.ideas[1].byId(ID)?.totalCostUsd).toBe(0.45);
    expect(screen.queryByText(/Retry/)).toBeNull();
  });

  it("puts a refused Retry's message back into the empty box, and hides Retry", async () => {
    const s = await withIdea(
      { [`POST /api/ideas/${ID}/chat`]: refused(USED_UP) },
      { budgetUsd: 0.3, totalCostUsd: 0.45 },
    );
    const t = s.transcript(ID);
    // A run that failed for another reason offers Retry; the budget was used up meanwhile.
    t.apply(entries("r1", [ev.started("r1", "plan it"), ev.finished("r1", "failed", "boom")]));
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.click(screen.getByText("Retry"));
    await waitFor(() => expect(t.items().at(-1)?.kind).toBe("budget_refused"));
    expect(box.value).toBe("plan it");
    expect(screen.queryByText(/Retry/)).toBeNull();
  });
});
