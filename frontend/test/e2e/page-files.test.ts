// Files, a build run's changes and the terminal, in Chromium: each test has its own idea.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  createIdea,
  focused,
  footers,
  hasChromium,
  PHONE,
  shot,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

/** Builds with the composer's message (the fake CLI writes files in the project folder). */
async function build(page: Page, message: string): Promise<void> {
  const box = page.getByLabel("Message");
  await expect.poll(() => box.isEnabled()).toBe(true);
  await box.fill(message);
  await page.getByRole("button", { name: /Build/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
}

const README = '@fake tool name=Write path=README.md content="# Kite\\n\\nIt **flies** itself."';
const CODE = '@fake tool name=Write path=kite.ts content="export const wings = 2;"';
const remoteRoot = mkdtempSync(join(tmpdir(), "catalyst-e2e-files-"));

/** The open idea's project folder (this machine is the target here). */
async function projectDir(page: Page): Promise<string> {
  const id = /#\/idea\/([A-Za-z0-9_-]+)/.exec(page.url())?.[1];
  if (!id) throw new Error(`no idea in ${page.url()}`);
  return join(remoteRoot, "ideas", id, "project");
}

describe.skipIf(!hasChromium)("files, changes and terminal, in Chromium", () => {
  const stack = useStack({ REMOTE_ROOT: remoteRoot });
  const signedIn = useTabs(stack);

  it("shows the project's files: a lazy tree, highlighted code, rendered Markdown", async () => {
    const { page, pageErrors } = await signedIn();
    await createIdea(page, "Kite files");
    await build(page, README);
    await waitFooters(page, 1);
    const dir = await projectDir(page);
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(join(dir, "src", "kite.ts"), "export const wings = 2;\n");
    await page.getByRole("tab", { name: "Files" }).click();
    const tree = page.getByRole("tree", { name: "Project files" });
    await tree.getByRole("button", { name: "README.md" }).click();
    await page.locator(".file-markdown strong", { hasText: "flies" }).waitFor();
    // Folders are listed when opened.
    expect(await tree.getByRole("button", { name: "kite.ts" }).count()).toBe(0);
    await tree.getByRole("button", { name: "src" }).click();
    await tree.getByRole("button", { name: "kite.ts" }).click();
    await page.locator(".file-code .hljs-keyword", { hasText: "export" }).waitFor();
    await shot(page, "20-files");
    expect(pageErrors).toEqual([]);
  });

  it("links a build run's footer to its changes as a diff, and reverts them after asking", async () => {
    const { page, pageErrors } = await signedIn();
    await createIdea(page, "Kite changes");
    await build(page, CODE);
    await waitFooters(page, 1);
    // The Files tab, opened before the revert, must not keep showing the reverted file.
    await page.getByRole("tab", { name: "Files" }).click();
    await page.getByRole("tree").getByRole("button", { name: "kite.ts" }).waitFor();
    await page.getByRole("tab", { name: "Chat" }).click();
    // By keyboard: the focus goes with the view (the chat holding the button is hidden).
    await footers(page).first().getByRole("button", { name: "View changes" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("tab", { name: "Changes" }).waitFor();
    await expect.poll(() => focused(page)).toBe("idea-tab-changes");
    await page.locator(".changes-files", { hasText: "kite.ts" }).waitFor();
    await page.locator(".diff-view .d2h-ins", { hasText: "wings" }).first().waitFor();
    await shot(page, "21-changes");
    await page.getByRole("button", { name: "Revert this run…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    await shot(page, "22-revert-confirm");
    await dialog.getByRole("button", { name: "Revert" }).click();
    await page.getByRole("status").filter({ hasText: "Put back 1 file" }).waitFor();
    // Closing the changes brings the keyboard back to the button that opened them.
    await page.getByRole("tabpanel").getByRole("button", { name: "Close" }).click();
    await expect.poll(() => focused(page)).toBe("View changes");
    await page.getByRole("tab", { name: "Files" }).click();
    await page.locator(".tree-note", { hasText: "empty" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("runs a command typed into the terminal, in the project folder", async () => {
    const { page, ctx, pageErrors } = await signedIn();
    await createIdea(page, "Kite terminal");
    await page.getByRole("tab", { name: "Terminal" }).click();
    const rows = page.locator(".terminal-slot:not([hidden]) .xterm-rows");
    await rows.waitFor();
    // Typed once the shell shows its prompt (typeahead would be echoed twice, once by the tty);
    // what the prompt says is the account's own (`project$ `, `# `, `% `).
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).toMatch(/[#$%>]\s*$/);
    await page.locator(".terminal-slot:not([hidden]) .xterm").click();
    await page.keyboard.type('echo "answer=$((6*7))"; pwd\n');
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).toContain("answer=42");
    expect(await rows.textContent()).toMatch(/ideas\/[A-Za-z0-9_-]{21}\/project/);
    // xterm's own colours apply despite the page's CSP (its <style> elements are blocked).
    expect(await rows.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(232, 232, 230)");
    await shot(page, "23-terminal");
    // A reload reattaches to the same shell (its variables are still set) and replays its output.
    await page.keyboard.type('MARK=kept-$((40+2)); echo "set:$MARK"\n');
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).toContain("set:kept-42");
    await page.reload();
    await page.getByRole("tab", { name: "Terminal" }).click();
    const lines = () =>
      rows.evaluate((el) => [...el.children].map((c) => c.textContent).join("\n"));
    await expect.poll(lines, { timeout: 20_000 }).toContain("answer=42");
    await page.locator(".terminal-slot:not([hidden]) .xterm").click();
    await page.keyboard.type('echo "mark=$MARK"\n');
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).toContain("mark=kept-42");
    // Paste (Ctrl+Shift+V) from the clipboard into the shell.
    await ctx.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.evaluate(() => navigator.clipboard.writeText('echo "pasted=$((1+1))"'));
    await page.keyboard.press("Control+Shift+V");
    await page.keyboard.press("Enter");
    await expect.poll(() => rows.textContent(), { timeout: 20_000 }).toContain("pasted=2");
    // A second terminal beside the first.
    await page.getByRole("button", { name: "+ New terminal" }).click();
    await page.getByRole("tab", { name: "Terminal 2" }).waitFor();
    expect(pageErrors).toEqual([]);
  });

  it("fits a phone: the files tab shows the tree, then the file with a way back", async () => {
    const { page } = await signedIn(PHONE);
    await createIdea(page, "Kite phone");
    await build(page, README);
    await waitFooters(page, 1);
    await page.getByRole("tab", { name: "Files" }).click();
    await page.getByRole("tree").getByRole("button", { name: "README.md" }).click();
    await page.getByRole("button", { name: "← Files" }).waitFor();
    await shot(page, "24-files-phone");
  });
});
