// Signing in and out in Chromium: a wrong key, the first visit, a one-time login link, a lost session.
import { describe, expect, it } from "vitest";
import { KEY, loginUrl } from "./harness.js";
import { focused, hasChromium, openTab, shot, useStack } from "./page-helpers.js";

describe.skipIf(!hasChromium)("signing in, in Chromium", () => {
  const stack = useStack();

  it("refuses a wrong key in words, then signs in with the right one", async () => {
    const ctx = await stack().browser.newContext({ viewport: { width: 1200, height: 800 } });
    try {
      const { page } = await openTab(ctx);
      await page.goto(stack().url);
      await page.getByLabel("Access key").fill("definitely-not-the-key");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/key is not right/);
      await shot(page, "01-login-wrong-key");
      await page.getByLabel("Access key").fill(KEY);
      await page.getByRole("button", { name: "Sign in" }).click();
      // A first visit says what to do, and the way in works from the keyboard.
      await page.getByText("Start with an idea").waitFor();
      await shot(page, "01b-welcome");
      await page.getByRole("button", { name: "Capture your first idea" }).click();
      await expect.poll(() => focused(page)).toBe("idea-title");
      await page.keyboard.press("Escape");
      expect(await page.locator(".idea-form").count()).toBe(0);
      expect(await focused(page)).toBe("+ New idea");
    } finally {
      await ctx.close();
    }
  });

  it("signs in from a one-time login link, strips it from the URL, and the link does not work twice", async () => {
    const link = loginUrl(stack());
    const ctx = await stack().browser.newContext({ viewport: { width: 1000, height: 700 } });
    try {
      const { page } = await openTab(ctx);
      const requests: string[] = [];
      page.on("request", (r) => requests.push(`${r.url()} ${r.headers()["referer"] ?? ""}`));
      await page.goto(link);
      await page.getByRole("button", { name: "+ New idea" }).waitFor();
      expect(page.url()).not.toContain("login=");
      // Neither the token nor the key left in any URL or Referer.
      const token = link.split("#login=")[1] ?? "";
      expect(requests.join("\n")).not.toContain(token);
      expect(requests.join("\n")).not.toContain(KEY);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByLabel("Access key").waitFor();
      // The same link again, in a new tab (a link only changes the hash of an open page).
      const { page: again } = await openTab(ctx);
      await again.goto(link);
      await expect.poll(() => again.getByRole("alert").textContent()).toMatch(/already used/);
      await shot(again, "01c-login-link-used");
      // The key typed into the form still works.
      await again.getByLabel("Access key").fill(KEY);
      await again.getByRole("button", { name: "Sign in" }).click();
      await again.getByRole("button", { name: "+ New idea" }).waitFor();
      // An old ?key= link is not used, and taken out of the URL.
      await again.goto(`${stack().url}/?key=${encodeURIComponent(KEY)}`);
      await again.getByRole("button", { name: "+ New idea" }).waitFor();
      expect(again.url()).not.toContain("key=");
    } finally {
      await ctx.close();
    }
  });

  it("signs out instead of reconnecting forever when the session is gone", async () => {
    const ctx = await stack().browser.newContext({ viewport: { width: 1000, height: 700 } });
    try {
      const pageSides: { close(): Promise<void> }[] = [];
      await ctx.routeWebSocket(/\/api\/ws$/, (ws) => {
        pageSides.push(ws);
        // The first connection is real; later ones are refused, as a server that lost the session does.
        if (pageSides.length === 1) ws.connectToServer();
        else void ws.close();
      });
      const { page: p } = await openTab(ctx);
      await p.goto(loginUrl(stack()));
      await p.getByRole("button", { name: "+ New idea" }).waitFor();
      await expect.poll(() => pageSides.length).toBe(1);
      await ctx.clearCookies();
      await pageSides[0]?.close();
      await p.getByLabel("Access key").waitFor({ timeout: 30_000 });
    } finally {
      await ctx.close();
    }
  });
});
