// What the page's Chromium tests share: one server and browser per file, and per test its own
// signed-in context and idea, so any test runs alone (`vitest run -t "<name>"`) or in any order.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { requireService } from "@catalyst/backend/testing/require-service";
import { chromiumAvailable, loginUrl, screenshotDir, startStack, type Stack } from "./harness.js";

export const hasChromium = requireService(
  "chromium",
  chromiumAvailable(),
  "apt-get install chromium (tests use /usr/bin/chromium, never a download)",
);

export const DESKTOP = { width: 1200, height: 800 };
export const PHONE = { width: 390, height: 800 };

/** Starts the server and browser before the file's tests and stops them after. */
export function useStack(env: Record<string, string> = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    stack = await startStack(env);
  });
  afterAll(async () => {
    await stack?.close();
  });
  return () => {
    if (!stack) throw new Error("the stack is not started");
    return stack;
  };
}

/**
 * Opens signed-in tabs for a test (each in its own context: own cookies, own viewport) and closes
 * them after it.
 */
export function useTabs(stack: () => Stack) {
  const open: Tab[] = [];
  afterEach(async () => {
    for (const tab of open.splice(0)) await tab.ctx.close();
  });
  return async (viewport: { width: number; height: number } = DESKTOP): Promise<Tab> => {
    const tab = await signedIn(stack(), viewport);
    open.push(tab);
    return tab;
  };
}

export type Tab = {
  ctx: BrowserContext;
  page: Page;
  /** alert()/confirm() texts and uncaught page errors: a test can say there were none. */
  dialogs: string[];
  pageErrors: string[];
};

/** A new browser context signed in through a one-time login link, on the idea list. */
export async function signedIn(
  stack: Stack,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<Tab> {
  const ctx = await stack.browser.newContext({ viewport });
  const tab = await openTab(ctx);
  await tab.page.goto(loginUrl(stack));
  await tab.page.getByRole("button", { name: "+ New idea" }).waitFor();
  return tab;
}

export async function openTab(ctx: BrowserContext): Promise<Tab> {
  const page = await ctx.newPage();
  const tab: Tab = { ctx, page, dialogs: [], pageErrors: [] };
  page.on("dialog", (d) => {
    tab.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => tab.pageErrors.push(e.message));
  return tab;
}

/** Captures an idea through the form and waits for its chat to open. */
export async function createIdea(p: Page, title: string, description?: string): Promise<void> {
  await p.getByRole("button", { name: "+ New idea" }).click();
  await p.getByLabel("Title").fill(title);
  if (description !== undefined) await p.getByLabel("Description (optional)").fill(description);
  await p.getByRole("button", { name: "Create idea" }).click();
  await p.locator(".idea-name", { hasText: title }).waitFor();
}

/**
 * Writes a message and sends it with Enter as a new run: once no run goes on (during a run the
 * composer takes input too, and Enter sends into the running session).
 */
export async function send(p: Page, message: string): Promise<void> {
  const box = p.getByLabel("Message");
  await expect.poll(() => p.getByRole("button", { name: "Cancel run" }).count()).toBe(0);
  await expect.poll(() => box.isEnabled()).toBe(true);
  await box.fill(message);
  await box.press("Enter");
}

export const footers = (p: Page) => p.locator(".run-footer");

export const waitFooters = (p: Page, n: number) =>
  expect.poll(() => footers(p).count(), { timeout: 30_000 }).toBe(n);

export const shot = (p: Page, name: string) =>
  p.screenshot({ path: join(screenshotDir, `${name}.png`) });

/** What has the keyboard focus: its id, else its label, else its text. */
export const focused = (p: Page) =>
  p.evaluate(() => {
    const el = document.activeElement;
    if (!el) return "";
    return el.id || el.getAttribute("aria-label") || (el.textContent ?? "").trim();
  });

/** How far the chat is from its bottom, and where it is scrolled to. */
export const chatScroll = (p: Page) =>
  p.evaluate(() => {
    const el = document.querySelector(".messages");
    if (!el) return { fromBottom: -1, top: -1 };
    return { fromBottom: el.scrollHeight - el.scrollTop - el.clientHeight, top: el.scrollTop };
  });

/** The contrast ratio (WCAG) of an element's text colour against its own background colour. */
export function contrastRatio(el: Element): number {
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
