// Records, inside the page, every text the last element matching a selector showed, so a test can
// prove what was on screen between two polls (streamed text growing, a short-lived button label).
import type { Page } from "playwright-core";

type Recorder = { seen: string[]; stop(): void };
type Host = typeof globalThis & { __catalystRecorder?: Recorder };

/** Starts recording (replacing an earlier recorder): each distinct text, in order of appearance. */
export async function recordTexts(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const host: Host = globalThis;
    host.__catalystRecorder?.stop();
    const seen: string[] = [];
    const take = () => {
      const all = document.querySelectorAll(sel);
      const text = all[all.length - 1]?.textContent ?? null;
      if (text !== null && seen.at(-1) !== text) seen.push(text);
    };
    // Synchronous per mutation batch, so no rendered state is missed between two polls.
    const observer = new MutationObserver(take);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    take();
    host.__catalystRecorder = { seen, stop: () => observer.disconnect() };
  }, selector);
}

/** The texts recorded since `recordTexts`, oldest first. */
export async function recordedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const host: Host = globalThis;
    return [...(host.__catalystRecorder?.seen ?? [])];
  });
}
