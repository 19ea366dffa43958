// Sanitized Markdown; as streamed text grows, only the blocks that changed are replaced.
import { createEffect, type Accessor } from "solid-js";
import { renderMarkdown } from "../markdown/render.js";

/**
 * Streaming appends at the end, so the blocks before the last one come out the same every time:
 * keeping their nodes keeps a reader's text selection and spares the browser re-laying them out.
 */
export function patchChildren(el: HTMLElement, html: string): void {
  // A template's content is inert (nothing loads or runs); the HTML is sanitized already anyway.
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const next = [...tpl.content.childNodes];
  const prev = [...el.childNodes];
  let same = 0;
  while (same < next.length && same < prev.length && prev[same]?.isEqualNode(next[same] ?? null))
    same++;
  for (let i = prev.length - 1; i >= same; i--) prev[i]?.remove();
  el.append(...next.slice(same));
}

export function Markdown(props: { text: Accessor<string> }) {
  let el: HTMLDivElement | undefined;
  // Safe: renderMarkdown sanitizes with DOMPurify (and fails closed without it).
  createEffect(() => {
    const html = renderMarkdown(props.text());
    if (el) patchChildren(el, html);
  });
  return <div class="md" ref={(d) => (el = d)} />;
}
