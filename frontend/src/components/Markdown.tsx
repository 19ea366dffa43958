// Sanitized Markdown; re-rendered when the streamed text grows.
import { createMemo, type Accessor } from "solid-js";
import { renderMarkdown } from "../markdown/render.js";

export function Markdown(props: { text: Accessor<string> }) {
  const html = createMemo(() => renderMarkdown(props.text()));
  // Safe: renderMarkdown sanitizes with DOMPurify (and fails closed without it).
  return <div class="md" innerHTML={html()} />;
}
