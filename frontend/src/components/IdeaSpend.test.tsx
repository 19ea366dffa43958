import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { ideaMetaSchema } from "@catalyst/shared";
import { createSignal } from "solid-js";
import { IdeaHeader } from "./IdeaHeader.js";
import { IdeaSpend } from "./IdeaSpend.js";
import { BudgetDialog, suggestedBudget } from "./BudgetDialog.js";
import { makeServices, meta } from "../test-support.js";

const ID = "abcdefghijklmnopqrstu";
const usage = {
  from: null,
  to: null,
  groupBy: "idea",
  totals: {
    costUsd: 0.45,
    inputTokens: 1010,
    outputTokens: 202,
    cacheReadTokens: 12026,
    cacheWriteTokens: 2385,
    runs: 2,
    turns: 2,
  },
  groups: [],
  limits: { runBudgetUsd: null, monthlyBudgetUsd: null, month: "2026-11", monthSpentUsd: 0.45 },
};

describe("the idea's spend line and budget", () => {
  afterEach(cleanup);

  it("shows the cost against the budget and the idea's tokens", async () => {
    const s = makeServices({
      [`GET /api/usage?groupBy=idea&ideaId=${ID}`]: () => ({ status: 200, json: usage }),
    });
    const idea = ideaMetaSchema.parse(meta(ID, { totalCostUsd: 0.45, budgetUsd: 0.3 }));
    render(
      s.wrap(() => (
        <IdeaHeader
          idea={idea}
          running={false}
          onBack={() => {}}
          onDeleted={() => {}}
          onBudget={() => {}}
        />
      )),
    );
    await waitFor(() => expect(screen.getByText("1.0k in · 202 out")).toBeTruthy());
    const cost = screen.getByText("$0.45 of $0.30 budget");
    expect(cost.classList.contains("over")).toBe(true);
    expect(screen.getByRole("button", { name: "Change this idea's budget" })).toBeTruthy();
  });

  it("names its budget button with the words it shows (a speech user says what they see)", () => {
    const s = makeServices({});
    const idea = ideaMetaSchema.parse(meta(ID, { totalCostUsd: 0 }));
    render(s.wrap(() => <IdeaSpend idea={idea} onBudget={() => {}} />));
    const button = screen.getByRole("button", { name: /budget/i });
    const name = button.getAttribute("aria-label") ?? "";
    expect(name.toLowerCase()).toContain((button.textContent ?? "").trim().toLowerCase());
  });

  it("reads the tokens again when the run ends, not only when its cost first shows", async () => {
    // The idea's cost is written from the run's result, before the run has ended and is counted
    // in the usage index: the first answer still has no tokens for it.
    let counted = false;
    const s = makeServices({
      [`GET /api/usage?groupBy=idea&ideaId=${ID}`]: () => ({
        status: 200,
        json: counted
          ? usage
          : { ...usage, totals: { ...usage.totals, inputTokens: 0, outputTokens: 0 } },
      }),
    });
    const running = ideaMetaSchema.parse(meta(ID, { totalCostUsd: 0.45, activeRunId: "run-1" }));
    const [idea, setIdea] = createSignal(running);
    render(s.wrap(() => <IdeaSpend idea={idea()} />));
    await waitFor(() => expect(screen.getByText("0 in · 0 out")).toBeTruthy());
    counted = true;
    setIdea({ ...running, activeRunId: null });
    await waitFor(() => expect(screen.getByText("1.0k in · 202 out")).toBeTruthy());
  });

  it("saves a budget, clears it when left empty, and refuses a negative one", async () => {
    const patches: unknown[] = [];
    const s = makeServices({
      [`PATCH /api/ideas/${ID}`]: (body) => {
        patches.push(body);
        return { status: 200, json: meta(ID, body as Record<string, unknown>) };
      },
    });
    const idea = ideaMetaSchema.parse(meta(ID, { totalCostUsd: 0.45, budgetUsd: 0.3 }));
    let closed = 0;
    render(s.wrap(() => <BudgetDialog idea={idea} onClose={() => closed++} />));
    const input = screen.getByRole("spinbutton") as HTMLInputElement;
    // Used up: offered half as much again as was spent, in whole dollars.
    expect(input.value).toBe("1");
    fireEvent.input(input, { target: { value: "-2" } });
    fireEvent.submit(screen.getByRole("dialog"));
    expect(screen.getByRole("alert").textContent).toMatch(/from 0 to/);
    expect(patches).toEqual([]);
    fireEvent.input(input, { target: { value: "2.5" } });
    fireEvent.submit(screen.getByRole("dialog"));
    await waitFor(() => expect(closed).toBe(1));
    fireEvent.input(input, { target: { value: "" } });
    fireEvent.submit(screen.getByRole("dialog"));
    await waitFor(() => expect(closed).toBe(2));
    expect(patches).toEqual([{ budgetUsd: 2.5 }, { budgetUsd: null }]);
  });

  it("suggests the current budget while some is left, nothing without one", () => {
    expect(suggestedBudget({ budgetUsd: 5, totalCostUsd: 1 })).toBe("5");
    expect(suggestedBudget({ budgetUsd: null, totalCostUsd: 1 })).toBe("");
    expect(suggestedBudget({ budgetUsd: 1, totalCostUsd: 3.2 })).toBe("5");
  });
});

describe("the budget dialog and the keyboard", () => {
  afterEach(cleanup);

  it("opens on the amount, keeps Tab inside, and closes on Escape", () => {
    const s = makeServices({});
    const idea = ideaMetaSchema.parse(meta(ID, { budgetUsd: 5 }));
    let closed = 0;
    render(s.wrap(() => <BudgetDialog idea={idea} onClose={() => closed++} />));
    const input = screen.getByRole("spinbutton");
    expect(document.activeElement).toBe(input);
    const save = screen.getByRole("button", { name: "Save budget" });
    save.focus();
    fireEvent.keyDown(document, { key: "Tab" });
    expect(document.activeElement).toBe(input);
    fireEvent.keyDown(document, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(save);
    fireEvent.keyDown(document, { key: "Escape" });
    expect(closed).toBe(1);
  });
});
