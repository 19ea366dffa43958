// Records, inside the page, every text the last element matching a selector showed, so a test can
// prove what was on screen between two polls (streamed text growing, a short-lived button label).
import type { Page } from "playwright-core";

/** One text shown, with how many elements matched `countSelector` at that moment. */
export type Shown = { text: string; count: number };
type Recorder = { seen: Shown[]; stop(): void };
type Host = typeof globalThis & { __catalystRecorder?: Recorder };

/** Starts recording (replacing an earlier recorder): each distinct text, in order of appearance. */
export async function recordTexts(page: Page, selector: string, countSelector = ""): Promise<void> {
  await page.evaluate(
    ([sel, countSel]) => {
      const host: Host = globalThis;
      host.__catalystRecorder?.stop();
      const seen: Shown[] = [];
      const take = () => {
        const all = document.querySelectorAll(sel);
        const text = all[all.length - 1]?.textContent ?? null;
        if (text === null || seen.at(-1)?.text === text) return;
        seen.push({ text, count: countSel ? document.querySelectorAll(countSel).length : 0 });
      };
      // Called once per mutation batch, before the next paint: no rendered state slips through.
      const observer = new MutationObserver(take);
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      take();
      host.__catalystRecorder = { seen, stop: () => observer.disconnect() };
    },
    [selector, countSelector] as const,
  );
}

/** What was recorded since `recordTexts`, oldest first. */
export async function recordedTexts(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const host: Host = globalThis;
    return [...(host.__catalystRecorder?.seen ?? [])];
  });
}
