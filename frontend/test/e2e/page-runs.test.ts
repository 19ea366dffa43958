// Runs in Chromium: build after asking, cancel, a reload mid-run, rename and delete, a dropped
// connection, and following a streaming answer. Each test has its own idea.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loginUrl, screenshotDir } from "./harness.js";
import {
  chatScroll,
  createIdea,
  focused,
  footers,
  hasChromium,
  send,
  shot,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

describe.skipIf(!hasChromium)("runs, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("asks before building, then builds", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Pottery kiln");
    await page.locator(".topbar .target").waitFor();
    await page.getByRole("button", { name: /Build/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("local");
    await shot(page, "03-build-confirm");
    await dialog.getByRole("button", { name: "Start building" }).click();
    await page.locator(".msg.user.mode-build").waitFor();
    await waitFooters(page, 1);
    expect(await footers(page).first().textContent()).toMatch(/Build completed/);
  });

  it("cancels a slow run: composer says what runs, then the outcome", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Cancelled");
    await send(page, "@fake slow interval=300 count=200");
    const cancel = page.getByRole("button", { name: "Cancel run" });
    await cancel.waitFor();
    // The composer stays usable: what is written goes into the running session.
    expect(await page.getByLabel("Message").isEditable()).toBe(true);
    await page.getByRole("button", { name: "Send to the running session" }).waitFor();
    expect(await page.locator(".composer-status").textContent()).toMatch(/Claude is answering/);
    await cancel.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Cancelling…" }).waitFor();
    await waitFooters(page, 1);
    expect(await footers(page).first().textContent()).toMatch(/Chat cancelled/);
    // One line for one event: no echo of the interruption, no "Stopped on request." under it.
    const chat = (await page.locator(".messages").textContent()) ?? "";
    expect(chat).not.toContain("Request interrupted");
    expect(chat).not.toContain("Stopped on request");
    expect(await page.getByLabel("Message").getAttribute("aria-disabled")).toBe("false");
    // The Cancel button the keyboard was on is gone: the keyboard is back in the box.
    await expect.poll(() => focused(page)).toBe("Message");
    await shot(page, "14-cancelled");
  });

  it("shows the history and the live tail after a reload mid-run, with nothing twice", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Reloaded");
    await send(page, "@fake slow interval=150 count=30");
    const assistant = page.locator(".msg.assistant").last();
    await expect.poll(() => assistant.textContent(), { timeout: 15_000 }).toMatch(/\d/);
    await page.reload();
    await page.locator(".msg.user", { hasText: "@fake slow interval=150 count=30" }).waitFor();
    await page.getByRole("button", { name: "Cancel run" }).waitFor();
    const before = (await page.locator(".msg.assistant").last().textContent()) ?? "";
    await waitFooters(page, 1);
    const after = (await page.locator(".msg.assistant").last().textContent()) ?? "";
    expect(after.length).toBeGreaterThan(before.length);
    // Every user message once, every footer once.
    expect(await page.locator(".msg.user").count()).toBe(1);
    expect(await footers(page).count()).toBe(1);
    await shot(page, "04-after-reload");
  });

  it("renames and deletes an idea after asking", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Photo renamer");
    const item = () => page.locator(".idea-item", { hasText: "Photo renamer" });
    await page.getByRole("button", { name: "Rename", exact: true }).click();
    const input = page.getByLabel("Idea title");
    await input.fill("Photo renamer, v2");
    await input.press("Enter");
    await page.locator(".idea-item", { hasText: "Photo renamer, v2" }).waitFor();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
    expect(await item().count()).toBe(1);
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => item().count()).toBe(0);
  });

  it("says when the connection drops, reconnects, and resubscribes from the last seq without doubles", async () => {
    const ctx = await stack().browser.newContext({ viewport: { width: 1000, height: 800 } });
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
    await p.goto(loginUrl(stack()));
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
    const ctx = await stack().browser.newContext({ viewport: { width: 1000, height: 700 } });
    const p = await ctx.newPage();
    await p.goto(loginUrl(stack()));
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
    // The same item at the same place (within a pixel: the way back to the latest appearing
    // below the chat makes the browser re-anchor the scroll, which may round).
    const now = await onScreen();
    expect(now?.text).toBe(reading?.text);
    expect(Math.abs((now?.y ?? 0) - (reading?.y ?? 0))).toBeLessThanOrEqual(1);
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

  it("keeps the text of a failed run and offers Retry", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Flaky model");
    await send(page, "@fake api-error status=500");
    await waitFooters(page, 1);
    expect(await footers(page).first().textContent()).toMatch(/Chat failed/);
    // The message comes back to the box, and Retry sends it again.
    expect(await page.getByLabel("Message").inputValue()).toBe("@fake api-error status=500");
    const retry = page.getByRole("button", { name: "Retry", exact: true });
    await shot(page, "21-failed-run-retry");
    await retry.click();
    await waitFooters(page, 2);
    expect(await page.locator(".msg.user").count()).toBe(2);
  });

  it("says building only while a build runs, and offers Delete only when no run goes", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Status");
    const pill = page.locator(".idea-header .pill");
    const del = page.getByRole("button", { name: "Delete", exact: true });
    await page.getByLabel("Message").fill("@fake slow interval=200 count=10");
    await page.getByRole("button", { name: /Build/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
    await expect.poll(() => pill.textContent()).toBe("building, running");
    expect(await del.isDisabled()).toBe(true);
    await waitFooters(page, 1);
    await expect.poll(() => pill.textContent()).toBe("built");
    expect(await del.isEnabled()).toBe(true);
    // A chat after the build is not a build.
    await send(page, "@fake slow interval=200 count=10");
    await expect.poll(() => pill.textContent()).toBe("built, running");
    expect(await del.isDisabled()).toBe(true);
    await shot(page, "22-chat-after-build-status");
    await waitFooters(page, 2);
    await del.click();
    expect(await page.getByRole("dialog").textContent()).toMatch(
      /project folder Claude worked in on local stays/,
    );
    await shot(page, "23-delete-dialog");
    await page.keyboard.press("Escape");
  });
});
