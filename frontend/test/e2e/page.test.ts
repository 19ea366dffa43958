// The page end to end in real Chromium: login, ideas, streaming chat, tools, build, cancel,
// reload mid-run, hostile output; screenshots of the main screens go to frontend/test-results/.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import {
  transcriptEntrySchema,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";
import { requireService } from "@catalyst/backend/testing/require-service";
import { chromiumAvailable, KEY, screenshotDir, startStack, type Stack } from "./harness.js";

const hasChromium = requireService(
  "chromium",
  chromiumAvailable(),
  "apt-get install chromium (tests use /usr/bin/chromium, never a download)",
);

/** What has the keyboard focus: its id, else its label, else its text. */
const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement;
    if (!el) return "";
    return el.id || el.getAttribute("aria-label") || (el.textContent ?? "").trim();
  });

/** The contrast ratio (WCAG) of an element's text colour against its own background colour. */
function contrastRatio(el: Element): number {
  const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const lum = (c: string) => {
    const [r = 0, g = 0, b = 0] = rgb(c).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(el);
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return ((a ?? 0) + 0.05) / ((b ?? 0) + 0.05);
}

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

describe.skipIf(!hasChromium)("the page in Chromium", () => {
  let stack: Stack;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`) });
  const send = async (message: string) => {
    const box = page.getByLabel("Message");
    await expect.poll(() => box.isEnabled()).toBe(true);
    await box.fill(message);
    await box.press("Enter");
  };
  const footers = () => page.locator(".run-footer");
  /** How far the chat is from its bottom, and where it is scrolled to. */
  const chatScroll = (p: Page = page) =>
    p.evaluate(() => {
      const el = document.querySelector(".messages");
      if (!el) return { fromBottom: -1, top: -1 };
      return { fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight, top: el.scrollTop };
    });
  const waitFooters = (n: number) =>
    expect.poll(() => footers().count(), { timeout: 30_000 }).toBe(n);

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    stack = await startStack();
    context = await stack.browser.newContext({ viewport: { width: 1200, height: 800 } });
    page = await context.newPage();
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("pageerror", (e) => pageErrors.push(e.message));
  });
  afterAll(async () => {
    await context?.close();
    await stack?.close();
  });

  it("refuses a wrong key in words, then signs in with the right one", async () => {
    await page.goto(stack.url);
    await page.getByLabel("Access key").fill("definitely-not-the-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/key is not right/);
    await shot("01-login-wrong-key");
    await page.getByLabel("Access key").fill(KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    // A first visit says what to do, and the way in works from the keyboard.
    await page.getByText("Start with an idea").waitFor();
    await shot("01b-welcome");
    await page.getByRole("button", { name: "Capture your first idea" }).click();
    await expect.poll(() => focused(page)).toBe("idea-title");
    await page.keyboard.press("Escape");
    expect(await page.locator(".idea-form").count()).toBe(0);
    expect(await focused(page)).toBe("+ New idea");
  });

  it("creates an idea and opens its chat", async () => {
    await page.getByRole("button", { name: "+ New idea" }).click();
    await page.getByLabel("Title").fill("Photo renamer");
    await page
      .getByLabel("Description (optional)")
      .fill("Rename photos by the date they were taken.");
    await page.getByRole("button", { name: "Create idea" }).click();
    await page.locator(".idea-name", { hasText: "Photo renamer" }).waitFor();
    expect(await page.locator(".idea-item").count()).toBe(1);
    expect(page.url()).toMatch(/#\/idea\/[A-Za-z0-9_-]{21}$/);
    // The tab names the idea; the next thing to do is to write, so the cursor is there.
    expect(await page.title()).toBe("Photo renamer · Catalyst");
    expect(await focused(page)).toBe("Message");
    // Shift+Enter makes new lines (nothing is sent), and the box grows with them.
    const box = page.getByLabel("Message");
    const before = (await box.boundingBox())?.height ?? 0;
    for (const word of ["one", "two", "three", "four", "five", "six"]) {
      await page.keyboard.type(word);
      await page.keyboard.press("Shift+Enter");
    }
    expect(await box.inputValue()).toBe("one\ntwo\nthree\nfour\nfive\nsix\n");
    expect((await box.boundingBox())?.height ?? 0).toBeGreaterThan(before + 60);
    expect(await page.locator(".msg.user").count()).toBe(0);
    await box.fill("");
  });

  it("streams an answer and shows a tool card with its result folded", async () => {
    await send(
      "Have a look first.\n@fake tool name=Read path=notes.md\n@fake slow interval=60 count=6",
    );
    await page.locator(".msg.user", { hasText: "Have a look first." }).waitFor();
    await expect.poll(() => page.title()).toBe("● Photo renamer · Catalyst");
    const card = page.locator(".tool", { hasText: "Read" });
    await card.waitFor();
    expect(await card.locator(".tool-arg").textContent()).toContain("notes.md");
    await waitFooters(1);
    expect(await footers().first().textContent()).toMatch(/Chat completed · .* · \$/);
    await expect.poll(() => page.title()).toBe("Photo renamer · Catalyst");
    // Screen readers hear how the run ended, once, not the whole stream.
    expect(await page.locator(".sr-only[role=status]").textContent()).toMatch(
      /^Claude finished\. Chat completed · /,
    );
    // The slow scenario's lines all arrived as text.
    expect(await page.locator(".msg.assistant").last().textContent()).toMatch(/Line 6 of 6/);
    await card.locator(".fold-head").first().click();
    await card.locator(".tool-section", { hasText: /Result|Error/ }).waitFor();
    await shot("02-chat-tool-card");
    // The list shows status and cost.
    expect(await page.locator(".idea-item .pill").textContent()).toContain("chatting");
  });

  it("asks before building, then builds", async () => {
    await page.getByRole("button", { name: /Build/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("local");
    await shot("03-build-confirm");
    await dialog.getByRole("button", { name: "Start building" }).click();
    await page.locator(".msg.user.mode-build").waitFor();
    await waitFooters(2);
    expect(await footers().nth(1).textContent()).toMatch(/Build completed/);
    await expect.poll(() => page.locator(".idea-item .pill").textContent()).toContain("building");
  });

  it("cancels a slow run: composer says why it is disabled, then the outcome", async () => {
    await send("@fake slow interval=300 count=200");
    const cancel = page.getByRole("button", { name: "Cancel run" });
    await cancel.waitFor();
    expect(await page.getByLabel("Message").isDisabled()).toBe(true);
    expect(await page.locator(".composer-status").textContent()).toMatch(/Claude is answering/);
    await cancel.click();
    await page.getByRole("button", { name: "Cancelling…" }).waitFor();
    await waitFooters(3);
    expect(await footers().nth(2).textContent()).toMatch(/Chat cancelled/);
    expect(await page.getByLabel("Message").isEnabled()).toBe(true);
  });

  it("shows the history and the live tail after a reload mid-run, with nothing twice", async () => {
    await send("@fake slow interval=150 count=30");
    const assistant = page.locator(".msg.assistant").last();
    await expect.poll(() => assistant.textContent(), { timeout: 15_000 }).toMatch(/\d/);
    await page.reload();
    await page.locator(".msg.user", { hasText: "@fake slow interval=150 count=30" }).waitFor();
    await page.getByRole("button", { name: "Cancel run" }).waitFor();
    const before = (await page.locator(".msg.assistant").last().textContent()) ?? "";
    await waitFooters(4);
    const after = (await page.locator(".msg.assistant").last().textContent()) ?? "";
    expect(after.length).toBeGreaterThan(before.length);
    // Every user message once, every footer once.
    expect(await page.locator(".msg.user").count()).toBe(4);
    expect(await footers().count()).toBe(4);
    await shot("04-after-reload");
  });

  it("keeps hostile model output inert", async () => {
    await send("@fake hostile");
    await waitFooters(5);
    await page.locator(".tool-error").last().locator(".fold-head").first().click();
    const flags = await page.evaluate(() => ({
      handlers: document.querySelectorAll(
        ".messages [onerror], .messages [onload], .messages [onclick]",
      ).length,
      scripts: document.querySelectorAll(".messages script, .messages iframe, .messages img")
        .length,
      jsLinks: [...document.querySelectorAll(".messages a")].filter((a) =>
        (a.getAttribute("href") ?? "").toLowerCase().startsWith("javascript:"),
      ).length,
    }));
    expect(flags).toEqual({ handlers: 0, scripts: 0, jsLinks: 0 });
    // The hostile text is visible as text where it was quoted (tool input, results).
    expect(await page.locator(".messages").textContent()).toContain("onerror");
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await shot("05-hostile");
  });

  it("groups subagent work under its call, folds thinking, and marks a denied tool", async () => {
    await send(
      "@fake thinking\n@fake subagent\n@fake permission-denied name=Write path=/etc/passwd",
    );
    await waitFooters(6);
    const task = page.locator(".tool", { has: page.locator(".subagent") }).last();
    await task.locator(".subagent .fold-head").click();
    expect(await task.locator(".subagent .fold-body").textContent()).not.toBe("");
    await page.locator(".tool-denied").last().waitFor();
    expect(await page.locator(".tool-denied").last().textContent()).toContain("Permission denied");
    const thinking = page.locator(".thinking").last();
    expect(await thinking.locator(".fold-body").count()).toBe(0);
    await thinking.locator(".fold-head").click();
    expect(await thinking.locator(".fold-body").count()).toBe(1);
    await task.scrollIntoViewIfNeeded();
    await shot("08-subagent-thinking-denied");
  });

  it("keeps status lines out of the chat and says a model error once, as an error", async () => {
    await send("@fake notices\n@fake api-error status=500");
    await waitFooters(7);
    const chat = (await page.locator(".messages").textContent()) ?? "";
    expect(chat).not.toContain("Status:");
    expect(chat).toContain("Conversation compacted");
    expect(chat.split("API Error: 500 Internal server error").length - 1).toBe(1);
    const error = page.locator(".notice.error[role=alert]").last();
    expect(await error.textContent()).toContain("API Error: 500");
    expect(await footers().nth(6).textContent()).toMatch(/Chat failed/);
    await shot("09-model-error");
  });

  it("renames and deletes an idea after asking", async () => {
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    const input = page.getByLabel("Idea title");
    await input.fill("Photo renamer, v2");
    await input.press("Enter");
    await page.locator(".idea-item", { hasText: "Photo renamer, v2" }).waitFor();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(await page.locator(".idea-item").count()).toBe(1);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => page.locator(".idea-item").count()).toBe(0);
  });

  it("signs in from a ?key= link, strips it from the URL, and fits a phone", async () => {
    const phone = await stack.browser.newContext({ viewport: { width: 390, height: 800 } });
    const p = await phone.newPage();
    await p.goto(`${stack.url}/?key=${encodeURIComponent(KEY)}`);
    await p.getByRole("button", { name: "+ New idea" }).waitFor();
    expect(p.url()).not.toContain("key=");
    await p.getByRole("button", { name: "+ New idea" }).click();
    await p.getByLabel("Title").fill("Phone idea");
    await p.getByRole("button", { name: "Create idea" }).click();
    await p.locator(".idea-name", { hasText: "Phone idea" }).waitFor();
    // On a phone the list hides while a chat is open, and Back returns to it.
    expect(await p.locator(".sidebar").isVisible()).toBe(false);
    await p.getByLabel("Message").fill("@fake thinking");
    await p.getByLabel("Message").press("Enter");
    await expect.poll(() => p.locator(".run-footer").count(), { timeout: 30_000 }).toBe(1);
    await p.screenshot({ path: join(screenshotDir, "06-phone-chat.png") });
    await p.getByRole("button", { name: "Back to ideas" }).click();
    expect(await p.locator(".sidebar").isVisible()).toBe(true);
    await p.getByRole("button", { name: "Sign out" }).click();
    await p.getByLabel("Access key").waitFor();
    await phone.close();
  });

  it("says when the connection drops, reconnects, and resubscribes from the last seq without doubles", async () => {
    const ctx = await stack.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const subscribes: { connection: number; after: number | undefined }[] = [];
    const pageSides: { close(): Promise<void> }[] = [];
    await ctx.routeWebSocket(/\/api\/ws$/, (ws) => {
      const connection = pageSides.length;
      pageSides.push(ws);
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        const frame: unknown = JSON.parse(String(m));
        if (
          typeof frame === "object" &&
          frame !== null &&
          "type" in frame &&
          frame.type === "subscribe"
        ) {
          const after =
            "after" in frame && typeof frame.after === "number" ? frame.after : undefined;
          subscribes.push({ connection, after });
        }
        server.send(m);
      });
    });
    const p = await ctx.newPage();
    await p.goto(`${stack.url}/?key=${encodeURIComponent(KEY)}`);
    await p.getByRole("button", { name: "+ New idea" }).click();
    await p.getByLabel("Title").fill("Flaky network idea");
    await p.getByRole("button", { name: "Create idea" }).click();
    await p.getByLabel("Message").fill("@fake slow interval=100 count=40");
    await p.getByLabel("Message").press("Enter");
    const answer = p.locator(".msg.assistant").last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toMatch(/Line 3 of 40/);
    await pageSides[0]?.close();
    await p.getByText(/Connection lost/).waitFor();
    await p.screenshot({ path: join(screenshotDir, "07-connection-lost.png") });
    await expect.poll(() => p.locator(".run-footer").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => p.getByText(/Connection lost/).count()).toBe(0);
    const text = (await answer.textContent()) ?? "";
    for (let i = 1; i <= 40; i++) expect(text.split(`Line ${i} of 40.`).length - 1).toBe(1);
    const resubscribe = subscribes.find((s) => s.connection === 1);
    expect(resubscribe?.after).toBeGreaterThan(0);
    await ctx.close();
  });
  it("follows a streaming answer, leaves a reader who scrolled up in place, and opens at the bottom", async () => {
    const ctx = await stack.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const p = await ctx.newPage();
    await p.goto(`${stack.url}/?key=${encodeURIComponent(KEY)}`);
    await p.getByRole("button", { name: "+ New idea" }).click();
    await p.getByLabel("Title").fill("Long reading");
    await p.getByRole("button", { name: "Create idea" }).click();
    const say = async (message: string) => {
      await expect.poll(() => p.getByLabel("Message").isEnabled()).toBe(true);
      await p.getByLabel("Message").fill(message);
      await p.getByLabel("Message").press("Enter");
    };
    await say("@fake many count=150");
    await expect.poll(() => p.locator(".run-footer").count(), { timeout: 30_000 }).toBe(1);
    // Reopening a long chat shows its end, even with off-screen items only estimated in size.
    await p.reload();
    await p.locator(".run-footer").waitFor();
    await expect.poll(async () => (await chatScroll(p)).fromBottom).toBeLessThanOrEqual(2);

    await say("@fake slow interval=80 count=60");
    const answer = p.locator(".msg.assistant").last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toMatch(/Line 5 of 60/);
    await expect.poll(async () => (await chatScroll(p)).fromBottom).toBeLessThanOrEqual(2);
    // The reader scrolls up to read: new lines (and older items leaving the drawn window of 150)
    // must not pull them down. What is on screen is the measure, not scrollTop: items coming into
    // view get their real height and the browser's scroll anchoring shifts scrollTop to keep it.
    const box = await p.locator(".messages").boundingBox();
    await p.mouse.move((box?.x ?? 0) + 200, (box?.y ?? 0) + 200);
    await p.mouse.wheel(0, -400);
    await expect.poll(async () => (await chatScroll(p)).fromBottom).toBeGreaterThan(300);
    // The first item at the top of the chat, and where it is.
    const onScreen = () =>
      p.evaluate(() => {
        const top = document.querySelector(".messages")?.getBoundingClientRect().top ?? 0;
        const items = [...document.querySelectorAll(".messages-inner > *")];
        const item = items.find((el) => el.getBoundingClientRect().bottom > top + 1);
        return item
          ? { text: item.textContent, y: Math.round(item.getBoundingClientRect().top) }
          : null;
      });
    await expect.poll(onScreen).not.toBeNull();
    const reading = await onScreen();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toMatch(/Line 30 of 60/);
    expect(await onScreen()).toEqual(reading);
    expect((await chatScroll(p)).fromBottom).toBeGreaterThan(300);
    await p.screenshot({ path: join(screenshotDir, "10-reading-while-streaming.png") });
    // A button says there is more below and takes the reader back; from there it follows again.
    const jump = p.getByRole("button", { name: /New output below/ });
    await jump.click();
    await expect.poll(() => jump.count()).toBe(0);
    await expect.poll(() => p.locator(".run-footer").count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(async () => (await chatScroll(p)).fromBottom).toBeLessThanOrEqual(2);
    await ctx.close();
  });

  it("keeps long code, wide tables and unbroken words inside the chat on a phone", async () => {
    const ctx = await stack.browser.newContext({ viewport: { width: 390, height: 800 } });
    await ctx.route(/\/api\/ideas\/[^/]+\/events\?after=0$/, (route) =>
      route.fulfill({ json: { events: wideHistory() } }),
    );
    const p = await ctx.newPage();
    await p.goto(`${stack.url}/?key=${encodeURIComponent(KEY)}`);
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

  it("signs out instead of reconnecting forever when the session is gone", async () => {
    const ctx = await stack.browser.newContext({ viewport: { width: 1000, height: 700 } });
    const pageSides: { close(): Promise<void> }[] = [];
    await ctx.routeWebSocket(/\/api\/ws$/, (ws) => {
      pageSides.push(ws);
      // The first connection is real; later ones are refused, as a server that lost the session does.
      if (pageSides.length === 1) ws.connectToServer();
      else void ws.close();
    });
    const p = await ctx.newPage();
    await p.goto(`${stack.url}/?key=${encodeURIComponent(KEY)}`);
    await p.getByRole("button", { name: "+ New idea" }).waitFor();
    await expect.poll(() => pageSides.length).toBe(1);
    await ctx.clearCookies();
    await pageSides[0]?.close();
    await p.getByLabel("Access key").waitFor({ timeout: 30_000 });
    await ctx.close();
  });
});
