// Above the composer while Claude waits for the person: says so (also to screen readers) and takes
// them to the request, wherever the chat is scrolled and whatever has the keyboard.
import { Show } from "solid-js";
import type { TranscriptStore } from "../stores/transcript.js";

export function WaitingBar(props: { transcript: TranscriptStore }) {
  const t = props.transcript;
  const first = () => t.pending()[0];
  const what = () => {
    const item = first();
    if (!item) return "";
    if (item.isQuestion) return "Claude has a question for you";
    return `Claude asks to use ${item.displayName}${item.summary ? `: ${item.summary}` : ""}`;
  };
  const go = () => {
    const id = first()?.requestId;
    const card = id
      ? document.querySelector<HTMLElement>(`.request.pending[data-request="${CSS.escape(id)}"]`)
      : null;
    card?.scrollIntoView({ block: "center" });
    card?.focus({ preventScroll: true });
  };
  return (
    <div class="waiting-bar" classList={{ shown: t.pending().length > 0 }}>
      <span role="status" aria-live="polite">
        {what()}
        <Show when={t.pending().length > 1}>
          <span class="muted"> (+{t.pending().length - 1} more)</span>
        </Show>
      </span>
      <Show when={first()}>
        <button type="button" class="btn small" onClick={go}>
          Answer <span aria-hidden="true">↑</span>
        </button>
      </Show>
    </div>
  );
}
