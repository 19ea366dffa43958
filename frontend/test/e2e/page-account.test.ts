// The Account panel in Chromium: status, the subscription login with the code field (a wrong code,
// then the right one), logout, a stored API key, and the chat's "Connect your Claude account".
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createIdea, hasChromium, PHONE, send, shot, useStack, useTabs } from "./page-helpers.js";

// The fake CLI keeps its login under $HOME: this file's own.
const home = mkdtempSync(join(tmpdir(), "catalyst-e2e-account-"));

const panel = (p: Page) => p.getByRole("dialog", { name: "Claude account" });
const summary = (p: Page) => panel(p).locator(".account-summary").textContent();
/** Each change runs the CLI on the machine (a login shell, then the CLI): give it time. */
const slow = { timeout: 20_000 };

describe.skipIf(!hasChromium)("the Claude account, in Chromium", () => {
  const stack = useStack({ CLAUDE_ENV: `HOME=${home}` });
  const signedIn = useTabs(stack);

  it("logs in with the code from claude.ai: a wrong code is refused in the CLI's words", async () => {
    const { page } = await signedIn();
    await page.getByRole("button", { name: "Account" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/Not connected/);
    expect(await panel(page).textContent()).toContain("local");
    await shot(page, "20-account-not-connected");

    await panel(page).getByRole("button", { name: "Log in with Claude" }).click();
    const link = panel(page).getByRole("link", { name: /sign-in page on claude\.ai/ });
    await link.waitFor();
    expect(await link.getAttribute("href")).toMatch(/^https:\/\/claude\.ai\/oauth\/authorize\?/);
    expect(await link.getAttribute("rel")).toContain("noopener");
    await panel(page).getByLabel("Paste the code it shows").fill("not-the-code");
    await shot(page, "21-account-code-field");
    await panel(page).getByRole("button", { name: "Finish login" }).click();
    await expect
      .poll(() => panel(page).getByRole("alert").textContent(), slow)
      .toMatch(/Invalid authorization code/);
    expect(await panel(page).getByRole("alert").textContent()).not.toContain("not-the-code");
    await shot(page, "22-account-code-refused");

    await panel(page).getByRole("button", { name: "Log in with Claude" }).click();
    await panel(page).getByLabel("Paste the code it shows").fill("fake-good-code");
    await page.keyboard.press("Enter");
    await expect.poll(() => summary(page), slow).toMatch(/Claude subscription \(max\)/);
    await shot(page, "23-account-connected");

    await panel(page).getByRole("button", { name: "Log out of Claude" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/Not connected/);
    await page.keyboard.press("Escape");
    expect(await panel(page).count()).toBe(0);
  });

  it("stores an API key that is never shown again, and removes it", async () => {
    const { page } = await signedIn(PHONE);
    await page.getByRole("button", { name: "Account" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/Not connected/);
    const field = panel(page).getByLabel("Anthropic API key or setup-token");
    expect(await field.getAttribute("type")).toBe("password");
    await field.fill("sk-ant-api03-e2e-secret");
    await panel(page).getByRole("button", { name: "Save key" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/API key stored by Catalyst/);
    expect(await field.inputValue()).toBe("");
    expect(await page.content()).not.toContain("sk-ant-api03-e2e-secret");
    await shot(page, "24-account-key-phone");
    await panel(page).getByRole("button", { name: "Remove the stored key" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/Not connected/);
  });

  it("says 'Connect your Claude account' when a run fails for want of a login, and opens the panel", async () => {
    const { page } = await signedIn();
    await page.emulateMedia({ colorScheme: "dark" });
    await createIdea(page, "Unconnected");
    await send(page, "@fake api-error status=401");
    const prompt = page.locator(".connect-account");
    await prompt.waitFor();
    expect(await prompt.textContent()).toContain("Connect your Claude account");
    expect(await page.locator(".run-footer").textContent()).not.toContain("Fix external API key");
    await shot(page, "25-connect-account-dark");
    await prompt.getByRole("button", { name: "Connect account" }).click();
    await expect.poll(() => summary(page), slow).toMatch(/Not connected/);
    await shot(page, "26-account-panel-dark");
  });
});
