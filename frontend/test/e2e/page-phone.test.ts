// The page on a phone in Chromium: the list and the chat take turns, wide content stays inside,
// dark mode stays readable. Each test has its own idea.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  transcriptEntrySchema,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";
import { loginUrl, screenshotDir } from "./harness.js";
import {
  contrastRatio,
  createIdea,
  hasChromium,
  PHONE,
  send,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

/** A transcript with what stretches a layout: a long code block, a wide table, unbroken words. */
function wideHistory(): TranscriptEntry[] {
  const code = Array.from(
    { length: 30 },
    (_, i) =>
      `const line${i} = someFunctionWithAVeryLongName(argumentNumberOne, "${"x".repeat(40)}");`,
  );
  const cells = (text: string) => `| ${Array.from({ length: 8 }, () => text).join(" | ")} |`;
  const markdown = [
    "Here is a plan:",
    "",
    "```ts",
    ...code,
    "```",
    "",
    cells("Column"),
    `|${"---|".repeat(8)}`,
    cells("some fairly wide cell content"),
    "",
    `The file is at /home/someone/${"averyverylongdirectorynamewithoutbreaks".repeat(5)}/index.ts.`,
  ].join("\n");
  const events: TranscriptEvent[] = [
    {
      type: "run_started",
      runId: "wide-run",
      mode: "chat",
      prompt: `Look at ${"sha256:".concat("ab".repeat(100))}`,
      resumeSessionId: null,
      target: "local",
      startedAt: "2026-01-01T00:00:00.000Z",
    },
    { type: "text", messageId: "wide-msg", text: markdown },
    {
      type: "run_finished",
      runId: "wide-run",
      outcome: "completed",
      exitCode: 0,
      signal: null,
      durationMs: 1200,
      message: null,
      stderrTail: [],
    },
  ];
  return events.map((event, i) =>
    transcriptEntrySchema.parse({
      seq: i + 1,
      ts: "2026-01-01T00:00:00.000Z",
      runId: "wide-run",
      event,
    }),
  );
}

describe.skipIf(!hasChromium)("the page on a phone, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("shows the list or the chat, and Back returns to the list", async () => {
    const { page: p } = await signedIn(PHONE);
    await createIdea(p, "Phone idea");
    // On a phone the list hides while a chat is open, and Back returns to it.
    expect(await p.locator(".sidebar").isVisible()).toBe(false);
    // The tab strip scrolls sideways when it must, never up and down: the selected tab reaching
    // over the strip's bottom border gave it a vertical scrollbar (its arrows showed at the right).
    const tabs = await p
      .locator("div.idea-tabs")
      .evaluate((el: HTMLElement) => [
        el.scrollHeight,
        el.clientHeight,
        el.offsetWidth - el.clientWidth,
      ]);
    expect(tabs[0]).toBeLessThanOrEqual(tabs[1] ?? 0);
    expect(tabs[2]).toBe(0);
    await send(p, "@fake thinking");
    await waitFooters(p, 1);
    await p.screenshot({ path: join(screenshotDir, "06-phone-chat.png") });
    await p.getByRole("button", { name: "Back to ideas" }).click();
    expect(await p.locator(".sidebar").isVisible()).toBe(true);
  });

  it("keeps long code, wide tables and unbroken words inside the chat on a phone", async () => {
    const ctx = await stack().browser.newContext({ viewport: { width: 390, height: 800 } });
    await ctx.route(/\/api\/ideas\/[^/]+\/events\?after=0$/, (route) =>
      route.fulfill({ json: { events: wideHistory() } }),
    );
    const p = await ctx.newPage();
    await p.goto(loginUrl(stack()));
    await p.getByRole("button", { name: "+ New idea" }).click();
    await p.getByLabel("Title").fill("A title long enough to crowd the header of a phone screen");
    await p.getByRole("button", { name: "Create idea" }).click();
    await p.locator(".run-footer").waitFor();
    const layout = await p.evaluate(() => {
      const box = (sel: string) => document.querySelector(sel)?.getBoundingClientRect();
      const messages = document.querySelector(".messages");
      const table = document.querySelector(".md table");
      const code = document.querySelector(".md pre.code");
      const th = document.querySelector(".md th");
      const cost = box(".idea-header .cost");
      const actions = box(".idea-header .header-actions");
      return {
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        messages: messages ? messages.scrollWidth - messages.clientWidth : -1,
        tableScrolls: table ? table.scrollWidth > table.clientWidth : false,
        codeScrolls: code ? code.scrollWidth > code.clientWidth : false,
        // A header cell holds "Column" on one line, not chopped into letters.
        headerCellHeight: th ? th.getBoundingClientRect().height : 0,
        costClear:
          cost && actions ? cost.right <= actions.left || cost.bottom <= actions.top : false,
      };
    });
    expect(layout).toEqual({
      page: 0,
      messages: 0,
      tableScrolls: true,
      codeScrolls: true,
      headerCellHeight: expect.any(Number),
      costClear: true,
    });
    expect(layout.headerCellHeight).toBeLessThan(40);
    await p.screenshot({ path: join(screenshotDir, "11-phone-wide-content.png") });
    await p.emulateMedia({ colorScheme: "dark" });
    await p.screenshot({ path: join(screenshotDir, "12-phone-dark.png") });
    // Filled buttons stay readable in dark mode (WCAG AA: 4.5:1 for their text).
    await p.getByRole("button", { name: /Build/ }).click();
    const confirm = p.getByRole("dialog").getByRole("button", { name: "Start building" });
    expect(await confirm.evaluate(contrastRatio)).toBeGreaterThanOrEqual(4.5);
    await p.screenshot({ path: join(screenshotDir, "13-phone-dark-build-dialog.png") });
    await p.keyboard.press("Escape");
    expect(await p.getByRole("dialog").count()).toBe(0);
    await ctx.close();
  });

  it("offers the way back to the list when the open idea was deleted on another device", async () => {
    const { page: p } = await signedIn(PHONE);
    await createIdea(p, "Deleted elsewhere");
    const id = /#\/idea\/([A-Za-z0-9_-]{21})$/.exec(p.url())?.[1] ?? "";
    // Another device deletes it (same account: the same cookie, another request).
    const res = await p.request.delete(`${stack().url}/api/ideas/${id}`);
    expect(res.status()).toBe(204);
    await p.getByText("This idea does not exist (any more).").waitFor();
    await p.screenshot({ path: join(screenshotDir, "24-phone-idea-gone.png") });
    await p.getByRole("button", { name: "← Back to ideas" }).click();
    expect(await p.locator(".sidebar").isVisible()).toBe(true);
  });
});
