// The live session in Chromium (issue 10), against the real server and the fake CLI speaking the
// control protocol: the approval card appears, a click (or the keyboard) answers it and the
// command's result shows; a question card; a message into the running session; the policy switch;
// the tab title while the page is in the background. Each test has its own idea.
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  createIdea,
  footers,
  hasChromium,
  PHONE,
  shot,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

/** Starts a build with `message` as its instructions, through the confirmation dialog. */
async function build(p: Page, message: string): Promise<void> {
  await expect.poll(() => p.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
  await p.getByLabel("Message").fill(message);
  await p.getByRole("button", { name: /Build/ }).click();
  await p.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
}

/** The text of a tool card's result, opening the card. */
async function toolResult(p: Page, command: string): Promise<string> {
  const card = p.locator(".tool", { hasText: command }).last();
  await expect.poll(() => card.getAttribute("class")).toMatch(/tool-ok/);
  await card.locator(".fold-head").first().click();
  return (await card.locator(".fold-body").first().textContent()) ?? "";
}

const activeRequest = (p: Page) =>
  p.evaluate(() => document.activeElement?.getAttribute("data-request") ?? null);

describe.skipIf(!hasChromium)("the live session, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("asks before a command: the card appears, a click allows it, the command's result shows", async () => {
    const { page, pageErrors } = await signedIn();
    await createIdea(page, "Approve a command");
    await build(page, '@fake tool name=Bash command="echo hello-from-bash"');
    const card = page.locator(".request.pending");
    await card.waitFor();
    expect(await card.locator(".request-command").textContent()).toBe("echo hello-from-bash");
    expect(await page.locator(".composer-status").textContent()).toMatch(/Waiting for your answer/);
    expect(
      await page
        .locator(".tool", { hasText: "echo hello-from-bash" })
        .locator(".tool-state")
        .textContent(),
    ).toBe("waiting for your approval");
    // The person was not typing: the keyboard is on the card.
    await expect.poll(() => activeRequest(page)).not.toBeNull();
    await shot(page, "30-approval-card");
    await card.getByRole("button", { name: "Allow once" }).click();
    const line = page.locator(".request.done");
    await line.waitFor();
    expect(await line.textContent()).toContain("Allowed once");
    expect(await toolResult(page, "echo hello-from-bash")).toContain("hello-from-bash");
    await waitFooters(page, 1);
    expect(await footers(page).first().textContent()).toMatch(/Build completed/);
    await shot(page, "31-approval-answered");
    expect(pageErrors).toEqual([]);
  });

  it("denies with a message, from the keyboard only", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Deny a command");
    await build(page, '@fake tool name=Bash command="touch nope.txt"');
    await page.locator(".request.pending").waitFor();
    await expect.poll(() => activeRequest(page)).not.toBeNull();
    // Tab order: Allow once, Always allow (when offered), Deny…
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Allow once");
    let label = "";
    for (let i = 0; i < 3 && label !== "Deny…"; i++) {
      await page.keyboard.press("Tab");
      label = (await page.evaluate(() => document.activeElement?.textContent)) ?? "";
    }
    expect(label).toBe("Deny…");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Not in this folder");
    await shot(page, "32-deny-keyboard");
    await page.keyboard.press("Enter");
    const line = page.locator(".request.done");
    await line.waitFor();
    expect(await line.textContent()).toContain("Denied");
    expect(await line.textContent()).toContain("Not in this folder");
    await waitFooters(page, 1);
    // The answered card gave the keyboard back to the composer, not to <body>.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label")))
      .toBe("Message");
  });

  it("Always allow names the rule, and the next run of the idea does not ask again", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Always allow");
    await build(page, '@fake tool name=Bash command="echo one >> log.txt"');
    const always = page.locator(".request.pending").getByRole("button", { name: /Always allow/ });
    await always.waitFor();
    expect(await always.textContent()).toMatch(/^Always allow .+/);
    await always.click();
    await page.locator(".request.done", { hasText: "Always allowed" }).waitFor();
    await waitFooters(page, 1);
    await build(page, '@fake tool name=Bash command="echo one >> log.txt"');
    await waitFooters(page, 2);
    expect(await page.locator(".request").count()).toBe(1);
    expect(await footers(page).nth(1).textContent()).toMatch(/Build completed/);
  });

  it("asks Claude's question with its options and sends the chosen one", async () => {
    const { page } = await signedIn();
    await createIdea(page, "A question");
    await build(page, "@fake question question=Which-language? options=Python|TypeScript");
    const card = page.locator(".request.pending.question");
    await card.waitFor();
    await shot(page, "33-question-card");
    await card.getByRole("radio", { name: /TypeScript/ }).check();
    await card.getByRole("button", { name: "Send answer" }).click();
    await page.locator(".request.done", { hasText: "Answered" }).waitFor();
    await waitFooters(page, 1);
    expect(await page.locator(".messages").textContent()).toContain("You chose: TypeScript");
  });

  it("sends a message into the running session and shows it", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Queued message");
    await build(page, "@fake slow interval=150 count=20");
    const send = page.getByRole("button", { name: "Send to the running session" });
    await send.waitFor();
    await page.getByLabel("Message").fill("@fake hello text=the-second-answer");
    await send.click();
    await page.locator(".msg.user.queued", { hasText: "the-second-answer" }).waitFor();
    await expect
      .poll(() => page.locator(".messages").textContent(), { timeout: 30_000 })
      .toContain("the-second-answer");
    await waitFooters(page, 1);
    expect(await page.locator(".msg.user").count()).toBe(2);
  });

  it("the header's switch sets the policy: auto allows commands without a card", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Auto approvals");
    const policy = page.getByRole("switch");
    expect(await policy.getAttribute("aria-checked")).toBe("false");
    await policy.click();
    await expect.poll(() => policy.getAttribute("aria-checked")).toBe("true");
    expect(await policy.textContent()).toContain("Approvals: auto");
    await build(page, '@fake tool name=Bash command="echo auto-ok"');
    await waitFooters(page, 1);
    expect(await page.locator(".request.pending").count()).toBe(0);
    expect(await page.locator(".request.done").textContent()).toContain("Allowed automatically");
    expect(await toolResult(page, "echo auto-ok")).toContain("auto-ok");
    await shot(page, "34-policy-auto");
  });

  it("in the background: the tab title says Claude waits, then that the build finished, and a notification asked for on the first Build", async () => {
    const { ctx, page } = await signedIn();
    // The browser's Notification, recorded (headless Chromium shows none); document.hidden as a
    // switch, since a headless tab never goes to the background by itself.
    await ctx.addInitScript(() => {
      const w = window as unknown as Record<string, unknown>;
      const notes: string[] = [];
      let permission = "default";
      let asked = 0;
      w.__notes = notes;
      w.__asked = () => asked;
      w.__hidden = false;
      class RecordedNotification {
        onclick: (() => void) | null = null;
        static get permission() {
          return permission;
        }
        static requestPermission() {
          asked++;
          permission = "granted";
          return Promise.resolve(permission);
        }
        constructor(title: string, opts: { body?: string }) {
          notes.push(`${title} | ${opts.body ?? ""}`);
        }
        close() {}
      }
      w.Notification = RecordedNotification;
      Object.defineProperty(document, "hidden", { get: () => w.__hidden === true });
    });
    await page.reload();
    await page.getByRole("button", { name: "+ New idea" }).waitFor();
    await createIdea(page, "Background tab");
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        (window as unknown as Record<string, unknown>).__hidden = h;
        document.dispatchEvent(new Event("visibilitychange"));
      }, hidden);
    const asked = () => page.evaluate(() => (window as unknown as { __asked(): number }).__asked());
    const notes = () =>
      page.evaluate(() => (window as unknown as { __notes: string[] }).__notes.slice());
    expect(await asked()).toBe(0);
    await build(page, '@fake slow interval=300 count=3\n@fake tool name=Bash command="echo bg"');
    await expect.poll(asked).toBe(1);
    await setHidden(true);
    await page.locator(".request.pending").waitFor();
    await expect.poll(() => page.title()).toBe("(1) Waiting for you — ● Background tab · Catalyst");
    await expect.poll(notes).toEqual(["Claude asks to use Bash | echo bg · in “Background tab”"]);
    await page.getByRole("button", { name: "Allow once" }).click();
    await waitFooters(page, 1);
    await expect.poll(() => page.title()).toBe("Build finished — Background tab · Catalyst");
    expect((await notes())[1]).toMatch(/^Build finished: Background tab \| Build completed/);
    await setHidden(false);
    expect(await page.title()).toBe("Background tab · Catalyst");
  });

  it("fits a phone and dark mode", async () => {
    const { page } = await signedIn(PHONE);
    await page.emulateMedia({ colorScheme: "dark" });
    await createIdea(page, "Phone approval");
    await build(page, '@fake tool name=Bash command="npm init -y && npm test"');
    const card = page.locator(".request.pending");
    await card.waitFor();
    const overflow = await page.evaluate(() => {
      const el = document.querySelector(".messages");
      return el ? el.scrollWidth - el.clientWidth : -1;
    });
    expect(overflow).toBe(0);
    await shot(page, "35-approval-phone-dark");
    await card.getByRole("button", { name: "Allow once" }).click();
    await waitFooters(page, 1);
  });
});
