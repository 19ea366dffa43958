// Tells screen readers when a run ends (its footer line), without reading the whole stream aloud.
import { createEffect, createSignal, on } from "solid-js";
import type { FooterItem, TranscriptStore } from "../stores/transcript.js";
import { footerLine } from "./RunFooter.js";

export function RunAnnouncer(props: { transcript: TranscriptStore; ready: boolean }) {
  const t = props.transcript;
  const [said, setSaid] = createSignal("");
  const lastFooter = (): FooterItem | undefined => {
    const items = t.items();
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item?.kind === "footer") return item;
    }
    return undefined;
  };
  // Footers loaded with the history (until ready) are not news.
  let seen: string | undefined;
  createEffect(
    on([lastFooter, () => props.ready] as const, ([f, ready]) => {
      if (!ready) return void (seen = f?.key);
      if (!f || f.key === seen) return;
      seen = f.key;
      setSaid(`Claude finished. ${footerLine(f)}.${f.message ? ` ${f.message}` : ""}`);
    }),
  );
  return (
    <div class="sr-only" role="status" aria-live="polite">
      {said()}
    </div>
  );
}
