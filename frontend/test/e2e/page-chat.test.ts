// Chatting in Chromium: the composer, streaming, tool cards, subagents, thinking, denied tools,
// notices and model errors, and hostile output kept inert. Each test has its own idea.
import { describe, expect, it } from "vitest";
import {
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

describe.skipIf(!hasChromium)("chatting, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("creates an idea and opens its chat, where Shift+Enter makes new lines", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Photo renamer", "Rename photos by the date they were taken.");
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
  });

  it("streams an answer and shows a tool card with its result folded", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Streaming");
    await send(
      page,
      "Have a look first.\n@fake tool name=Read path=notes.md\n@fake slow interval=60 count=6",
    );
    await page.locator(".msg.user", { hasText: "Have a look first." }).waitFor();
    await expect.poll(() => page.title()).toBe("● Streaming · Catalyst");
    const card = page.locator(".tool", { hasText: "Read" });
    await card.waitFor();
    expect(await card.locator(".tool-arg").textContent()).toContain("notes.md");
    await waitFooters(page, 1);
    expect(await footers(page).first().textContent()).toMatch(/Chat completed · .* · \$/);
    await expect.poll(() => page.title()).toBe("Streaming · Catalyst");
    // Screen readers hear how the run ended, once, not the whole stream.
    expect(await page.locator(".sr-only[role=status]").textContent()).toMatch(
      /^Claude finished\. Chat completed · /,
    );
    // The slow scenario's lines all arrived as text.
    expect(await page.locator(".msg.assistant").last().textContent()).toMatch(/Line 6 of 6/);
    await card.locator(".fold-head").first().click();
    await card.locator(".tool-section", { hasText: /Result|Error/ }).waitFor();
    await shot(page, "02-chat-tool-card");
    // The list shows status and cost.
    expect(await page.locator(".idea-item.selected .pill").textContent()).toContain("chatting");
  });

  it("keeps hostile model output inert", async () => {
    const { page, dialogs, pageErrors } = await signedIn();
    await createIdea(page, "Hostile");
    await send(page, "@fake hostile");
    await waitFooters(page, 1);
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
    await shot(page, "05-hostile");
  });

  it("groups subagent work under its call, folds thinking, and marks a denied tool", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Subagents");
    await send(
      page,
      "@fake thinking\n@fake subagent\n@fake permission-denied name=Write path=/etc/passwd",
    );
    await waitFooters(page, 1);
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
    await shot(page, "08-subagent-thinking-denied");
  });

  it("keeps status lines out of the chat and says a model error once, as an error", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Model error");
    await send(page, "@fake notices\n@fake api-error status=500");
    await waitFooters(page, 1);
    const chat = (await page.locator(".messages").textContent()) ?? "";
    expect(chat).not.toContain("Status:");
    expect(chat).toContain("Conversation compacted");
    expect(chat.split("API Error: 500 Internal server error").length - 1).toBe(1);
    const error = page.locator(".notice.error[role=alert]").last();
    expect(await error.textContent()).toContain("API Error: 500");
    expect(await footers(page).first().textContent()).toMatch(/Chat failed/);
    await shot(page, "09-model-error");
  });

  it("works from the keyboard alone: the focus is never lost, and dialogs open on Cancel", async () => {
    const { page } = await signedIn();
    // Signed in: the keyboard starts on the page's first control, not on <body>.
    await expect.poll(() => focused(page)).toBe("+ New idea");
    await page.keyboard.press("Enter");
    await expect.poll(() => focused(page)).toBe("idea-title");
    await page.keyboard.type("Keyboard only");
    await page.keyboard.press("Enter");
    await page.locator(".idea-name", { hasText: "Keyboard only" }).waitFor();
    await expect.poll(() => focused(page)).toBe("Message");
    await page.keyboard.type("@fake slow interval=100 count=5");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Cancel run" }).waitFor();
    // Enter sent: the keyboard stays in the box while Claude answers, and after.
    expect(await focused(page)).toBe("Message");
    await waitFooters(page, 1);
    expect(await focused(page)).toBe("Message");
    // Build by keyboard: the dialog starts on Cancel, so a habitual Space says no.
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatch(/Build$/);
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    expect(await focused(page)).toBe("Cancel");
    await shot(page, "19-keyboard-build-dialog-on-cancel");
    await page.keyboard.press("Space");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    expect(await page.locator(".msg.user.mode-build").count()).toBe(0);
    // Delete by keyboard: the same; Enter on Cancel keeps the idea.
    await page.getByRole("button", { name: "Delete", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    expect(await focused(page)).toBe("Cancel");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
    expect(await page.locator(".idea-item", { hasText: "Keyboard only" }).count()).toBe(1);
  });

  it("shows the description typed at capture, and edits it", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Described", "Rename photos by the date they were taken.");
    const about = page.getByRole("region", { name: "About this idea" });
    expect(await about.textContent()).toContain("Rename photos by the date they were taken.");
    await about.getByRole("button", { name: "Edit description" }).click();
    const box = page.getByLabel("Description", { exact: true });
    expect(await box.inputValue()).toBe("Rename photos by the date they were taken.");
    await box.fill("Rename photos by date, and sort them into folders by month.");
    await shot(page, "20-description-editing");
    await about.getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => about.textContent())
      .toContain("Rename photos by date, and sort them into folders by month.");
    // Kept on the server: a reload shows the new text.
    await page.reload();
    await expect
      .poll(() => page.getByRole("region", { name: "About this idea" }).textContent())
      .toContain("sort them into folders by month");
  });
});
