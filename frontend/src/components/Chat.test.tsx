import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@solidjs/testing-library";
import { makeServices, meta } from "../test-support.js";
import { Chat } from "./Chat.js";

const ID = "abcdefghijklmnopqrstu";

describe("Chat", () => {
  afterEach(cleanup);

  it("offers the way back to the list when its idea was deleted elsewhere", async () => {
    const s = makeServices({ "GET /api/ideas": () => ({ status: 200, json: [] }) });
    await s.services.ideas[1].refresh();
    let back = 0;
    render(s.wrap(() => <Chat ideaId={ID} onBack={() => back++} />));
    await waitFor(() => expect(screen.getByText(/does not exist/)).toBeTruthy());
    fireEvent.click(screen.getByRole("button", { name: "← Back to ideas" }));
    expect(back).toBe(1);
  });

  it("opens the budget dialog from a run refused because the idea's budget is used up", async () => {
    const used =
      "This idea's budget of $0.30 is used up: its runs have cost $0.45. Raise the budget to run it again.";
    const s = makeServices({
      "GET /api/ideas": () => ({
        status: 200,
        json: [meta(ID, { budgetUsd: 0.3, totalCostUsd: 0.45 })],
      }),
      [`GET /api/ideas/${ID}/events?after=0`]: () => ({ status: 200, json: { events: [] } }),
      [`POST /api/ideas/${ID}/chat`]: () => ({
        status: 402,
        json: { error: { code: "budget_exceeded", message: used } },
      }),
    });
    await s.services.ideas[1].refresh();
    render(s.wrap(() => <Chat ideaId={ID} onBack={() => {}} />));
    const box = (await screen.findByLabelText("Message")) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "one more" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    const line = (await screen.findByText(used)).closest<HTMLElement>(".budget-refused");
    expect(line).not.toBeNull();
    if (line) fireEvent.click(within(line).getByRole("button", { name: "Raise the budget" }));
    const dialog = await screen.findByRole("dialog", { name: "Budget for this idea" });
    // What the dialog offers: half as much again as was spent, in whole dollars.
    expect(within(dialog).getByRole("spinbutton")).toHaveProperty("value", "1");
    expect(box.value).toBe("one more");
  });
});
