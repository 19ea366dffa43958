// Tool cards in Chromium: a Write shows the file, an Edit a diff; denied commands are amber from
// the start and the build that had them does not end green; opening a card at the bottom keeps
// its header in view, and the way back to the latest output covers nothing.
import { describe, expect, it } from "vitest";
import {
  createIdea,
  footers,
  hasChromium,
  send,
  shot,
  useStack,
  useTabs,
  waitFooters,
} from "./page-helpers.js";

describe.skipIf(!hasChromium)("tool cards, in Chromium", () => {
  const stack = useStack();
  const signedIn = useTabs(stack);

  it("shows what a Write creates as a highlighted file and an Edit as a diff", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Photo renamer");
    await page
      .getByLabel("Message")
      .fill("@fake tool name=Write path=photos.ts\n@fake tool name=Edit path=photos.ts");
    await page.getByRole("button", { name: /Build/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
    await waitFooters(page, 1);
    const write = page.locator(".tool[data-tool=Write]");
    await write.locator(".fold-head").first().click();
    const code = write.locator("pre.code code");
    expect(await code.textContent()).toContain("export async function photos(dir: string)");
    expect(await code.textContent()).not.toContain("\\n");
    expect(await code.locator(".hljs-keyword").count()).toBeGreaterThan(2);
    const edit = page.locator(".tool[data-tool=Edit]");
    await edit.locator(".fold-head").first().click();
    expect(await edit.locator(".diff-del").textContent()).toContain('const greeting = "hello";');
    expect(await edit.locator(".diff-add").allTextContents()).toEqual([
      '+added: const greeting = "hello, world";\n',
      "+added: console.log(greeting);\n",
    ]);
    await write.scrollIntoViewIfNeeded();
    await shot(page, "15-write-and-edit-cards");
    await page.emulateMedia({ colorScheme: "dark" });
    await shot(page, "15b-write-and-edit-cards-dark");
  });

  it("marks denied commands amber while the build runs, and ends it 'completed, 2 commands denied' in amber", async () => {
    const { page } = await signedIn();
    await createIdea(page, "Denied");
    await page
      .getByLabel("Message")
      .fill(
        "@fake tool name=Bash command=npm-test\n@fake tool name=Bash command=npm-run-build\n@fake slow interval=250 count=8",
      );
    await page.getByRole("button", { name: /Build/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
    // Each command waits for the person (approvals: ask); they deny both.
    for (let i = 0; i < 2; i++) {
      const pending = page.locator(".request.pending");
      await pending.waitFor({ timeout: 15_000 });
      await pending.getByRole("button", { name: "Deny…" }).click();
      await pending.getByRole("button", { name: "Deny", exact: true }).click();
      await expect.poll(() => page.locator(".tool-denied").count()).toBe(i + 1);
    }
    // While the run still goes, the cards already say what happened, in amber, not red "Error".
    expect(await page.getByRole("button", { name: "Cancel run" }).count()).toBe(1);
    expect(await page.locator(".tool-error").count()).toBe(0);
    await shot(page, "16-denied-while-running");
    await waitFooters(page, 1);
    const footer = footers(page).first();
    expect(await footer.locator(".run-line").textContent()).toMatch(
      /^Build completed, 2 commands denied · /,
    );
    expect(await footer.evaluate((el) => el.classList.contains("partial"))).toBe(true);
    // Amber, not green: the dot has the warning colour.
    const [dot, warn] = await footer.evaluate((el) => [
      getComputedStyle(el.querySelector(".run-line") ?? el, "::before").color,
      getComputedStyle(document.documentElement).getPropertyValue("--warn").trim(),
    ]);
    expect(dot).toBe(hexToRgb(warn));
    // No raw denial line repeats what the cards say.
    expect((await page.locator(".messages").textContent()) ?? "").not.toMatch(/permission_denied/);
    await expect.poll(() => page.locator(".idea-item.selected .pill").textContent()).toBe("built");
    await shot(page, "17-build-completed-with-denials");
  });

  it("keeps a card's header in view when it is opened at the bottom, and the jump button covers no text", async () => {
    const { page } = await signedIn({ width: 1000, height: 600 });
    await createIdea(page, "Long result");
    await send(page, "@fake many count=20\n@fake tool name=Glob pattern=**/*");
    await waitFooters(page, 1);
    const card = page.locator(".tool[data-tool=Glob]").last();
    const head = card.locator(".fold-head").first();
    await head.click();
    await card.locator(".fold-body").waitFor();
    // Give the resize observer its frames: a pin to the bottom would have happened by now.
    await page.waitForTimeout(300);
    const inView = () =>
      head.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const view = document.querySelector(".messages")?.getBoundingClientRect();
        return view ? box.top >= view.top && box.bottom <= view.bottom : false;
      });
    expect(await inView()).toBe(true);
    await shot(page, "18-card-opened-at-bottom");
    // The reader reads from there; the way back to the latest sits below the chat, over nothing.
    const jump = page.getByRole("button", { name: "Back to the latest" });
    await jump.waitFor();
    const chatBottom = await page
      .locator(".messages")
      .evaluate((el) => el.getBoundingClientRect().bottom);
    expect((await jump.boundingBox())?.y ?? 0).toBeGreaterThanOrEqual(chatBottom);
    await jump.click();
    await expect.poll(() => jump.count()).toBe(0);
  });
});

function hexToRgb(hex: string): string {
  const n = Number.parseInt(hex.replace("#", ""), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}
