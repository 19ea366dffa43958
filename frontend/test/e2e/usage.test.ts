// Money in Chromium: an idea's budget set from its header, a run the CLI stops at the cap (said in
// words, with a button that raises the budget), a refused run (the same button), and the Usage page.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  createIdea,
  hasChromium,
  PHONE,
  send,
  shot,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

/** Sets the open idea's budget through the header's dialog. */
async function setBudget(page: Page, button: RegExp, usd: string) {
  await page.locator(".idea-header").getByRole("button", { name: button }).click();
  const dialog = page.getByRole("dialog", { name: "Budget for this idea" });
  await dialog.waitFor();
  await dialog.getByRole("spinbutton").fill(usd);
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await dialog.waitFor({ state: "detached" });
}

const spend = (page: Page) => page.locator(".idea-header .idea-spend").textContent();

describe.skipIf(!hasChromium)("budgets and usage, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("stops a run at the idea's budget, says so, and raises the budget from the chat", async () => {
    const { page, pageErrors } = await signedIn();
    await createIdea(page, "Budgeted kite");
    await setBudget(page, /Set budget/, "0.3");
    await expect.poll(() => spend(page)).toContain("$0 of $0.30 budget");

    await send(page, "@fake cost usd=0.25 input=1000 output=200 cache-read=30 cache-write=40");
    await waitFooters(page, 1);
    await expect.poll(() => spend(page)).toContain("$0.25 of $0.30 budget");
    await expect.poll(() => spend(page)).toContain("1.0k in · 200 out");

    // What is left is $0.05; this run costs $0.20, so the CLI stops it there.
    await send(page, "@fake cost usd=0.2 input=10 output=2");
    await waitFooters(page, 2);
    const stop = page.locator(".budget-stop");
    await stop.waitFor();
    expect(await stop.textContent()).toContain("reached its spending cap of $0.05");
    await expect.poll(() => spend(page)).toContain("$0.45 of $0.30 budget");
    await shot(page, "money-01-budget-stop");

    // A run stopped by its budget offers the raise, not a Retry that would only be refused.
    const composer = page.locator(".composer");
    expect(await composer.getByRole("button", { name: /Retry/ }).count()).toBe(0);

    // Used up: the next message is refused, in words that say the budget and the spending, with
    // the same raise button; the message stays in the box.
    await send(page, "one more");
    const refused = page.locator(".budget-refused");
    await expect
      .poll(() => refused.last().textContent())
      .toContain("This idea's budget of $0.30 is used up: its runs have cost $0.45");
    expect(await page.getByLabel("Message").inputValue()).toBe("one more");
    expect(await composer.getByRole("button", { name: /Retry/ }).count()).toBe(0);
    await shot(page, "money-02-refused");

    await refused.last().getByRole("button", { name: "Raise the budget" }).click();
    const dialog = page.getByRole("dialog", { name: "Budget for this idea" });
    await dialog.waitFor();
    // Offered: half as much again as was spent, in whole dollars.
    expect(await dialog.getByRole("spinbutton").inputValue()).toBe("1");
    await shot(page, "money-03-raise-dialog");
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => spend(page)).toContain("$0.45 of $1.00 budget");
    // Raised: the message kept in the box goes now.
    await page.getByLabel("Message").press("Enter");
    await waitFooters(page, 3);
    expect(await page.locator(".msg.user").last().textContent()).toContain("one more");

    // The stop line's button opens the same dialog.
    await stop.getByRole("button", { name: "Raise the budget" }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(pageErrors).toEqual([]);
  });

  it("shows the refusal and its raise button on a phone", async () => {
    const { page, pageErrors } = await signedIn(PHONE);
    await createIdea(page, "Spent kite");
    await setBudget(page, /Set budget/, "0");
    await send(page, "hello");
    const refused = page.locator(".budget-refused");
    await refused.waitFor();
    const button = refused.getByRole("button", { name: "Raise the budget" });
    const box = await button.boundingBox();
    expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await shot(page, "money-07-refused-phone");
    await button.click();
    await page.getByRole("dialog", { name: "Budget for this idea" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("shows totals, a chart per day and a table per idea, on a desktop, a phone and in dark mode", async () => {
    const { page, pageErrors } = await signedIn();
    await createIdea(page, "Usage kite");
    await send(page, "@fake cost usd=0.25 input=1000 output=200 cache-read=30 cache-write=40");
    await waitFooters(page, 1);
    // Resumed: the CLI reports the session's $0.75; this run's own is $0.50.
    await send(page, "@fake cost usd=0.5 input=10 output=2 cache-read=0 cache-write=0");
    await waitFooters(page, 2);

    await page.getByRole("link", { name: "Usage" }).click();
    await page.getByRole("heading", { name: "Usage" }).waitFor();
    const row = page.locator(".usage-table tbody tr", { hasText: "Usage kite" });
    await row.waitFor();
    const cells = await row.locator("td").allTextContents();
    // Cost, runs, turns (one reply each), tokens in/out, cache read/written: by hand.
    expect(cells).toEqual(["$0.75", "2", "2", "1.0k", "202", "30", "40"]);
    // The totals are the table's sum (other tests' ideas may be in it too).
    const rowCosts = await page.locator(".usage-table tbody td:first-of-type").allTextContents();
    const sum = rowCosts.reduce((s, c) => s + Number(c.replace("$", "")), 0);
    const totalCost = page.locator(".usage-total", { hasText: "Cost" }).locator("dd");
    expect(Number((await totalCost.textContent())?.replace("$", ""))).toBeCloseTo(sum, 2);
    expect(await page.locator(".usage-limits").textContent()).toMatch(/UTC\)/);
    // The chart drew (a canvas with a size) and says what it shows to a screen reader.
    const canvas = page.locator(".usage-chart canvas");
    await canvas.waitFor();
    expect((await canvas.boundingBox())?.width ?? 0).toBeGreaterThan(300);
    expect(await page.locator(".usage-chart-plot").getAttribute("aria-label")).toMatch(
      /^Cost per day, .*runs\.$/,
    );
    // The CSV download is the same figures.
    const href = await page.getByRole("link", { name: "CSV per idea" }).getAttribute("href");
    expect(href).toMatch(/^\/api\/usage\?groupBy=idea&from=.*&format=csv$/);
    const csv = await (await page.request.get(`${stack().url}${href}`)).text();
    expect(csv).toMatch(/,Usage kite,0\.75,1010,202,30,40,2,2\r\n/);
    await shot(page, "money-04-usage-desktop");

    await page.emulateMedia({ colorScheme: "dark" });
    await page.reload();
    await page.locator(".usage-chart canvas").waitFor();
    await shot(page, "money-05-usage-dark");

    const phone = await signedIn(PHONE);
    await phone.page.goto(`${stack().url}/#/usage`);
    await phone.page.locator(".usage-chart canvas").waitFor();
    // Nothing wider than the phone: the table scrolls inside its own box.
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The money is what the page is about: an idea's cost is in view without scrolling the table.
    const costHead = phone.page.locator(".usage-table thead th", { hasText: "Cost" });
    const box = await costHead.boundingBox();
    expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(PHONE.width);
    await shot(phone.page, "money-06-usage-phone");
    expect([...pageErrors, ...phone.pageErrors]).toEqual([]);
  });
});
