import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { usagePath } from "../api/client.js";
import { presetRange } from "../util/usage-range.js";
import { makeServices } from "../test-support.js";
import { UsagePage } from "./UsagePage.js";

const none = {
  costUsd: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  runs: 0,
  turns: 0,
};
const answer = (groupBy: string) => ({
  status: 200,
  json: {
    from: null,
    to: null,
    groupBy,
    totals: none,
    groups: [],
    limits: { runBudgetUsd: null, monthlyBudgetUsd: null, month: "2026-11", monthSpentUsd: 0 },
  },
});

describe("the Usage page", () => {
  afterEach(cleanup);

  it("says a range whose start is after its end is wrong, and asks nothing of the server", async () => {
    const month = presetRange("month", Date.now());
    const s = makeServices({
      [`GET ${usagePath({ groupBy: "day", ...month })}`]: () => answer("day"),
      [`GET ${usagePath({ groupBy: "idea", ...month })}`]: () => answer("idea"),
    });
    render(s.wrap(() => <UsagePage onBack={() => {}} />));
    await screen.findByText("No runs in this range.");
    const calls = s.calls.length;
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2999-01-01" } });
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/From is after To/);
    // The old range's figures are not shown as if they were this range's.
    expect(screen.queryByText("No runs in this range.")).toBeNull();
    expect(s.calls.length).toBe(calls);
  });

  it("says the server's refusal in words, without an uncaught error", async () => {
    const s = makeServices({
      [`GET ${usagePath({ groupBy: "day", from: null, to: null })}`]: () => ({
        status: 503,
        json: { error: { code: "unavailable", message: "The usage index is being rebuilt." } },
      }),
      [`GET ${usagePath({ groupBy: "idea", from: null, to: null })}`]: () => answer("idea"),
    });
    render(s.wrap(() => <UsagePage onBack={() => {}} />));
    fireEvent.click(screen.getByRole("button", { name: "All time" }));
    const alert = await screen.findByRole("alert");
    await waitFor(() => expect(alert.textContent).toMatch(/Could not load the usage/));
  });
});
