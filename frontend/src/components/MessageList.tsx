// The chat's items: only the latest ones are drawn (older on demand), and it follows new output.
import {
  createEffect,
  createMemo,
  createSignal,
  For,
  on,
  onCleanup,
  onMount,
  Show,
} from "solid-js";
import type { TranscriptStore } from "../stores/transcript.js";
import { makeFollowScroll, type FollowScroll } from "../util/follow-scroll.js";
import { MessageItem } from "./MessageItem.js";

/** How many items are drawn at first and added per "show earlier": keeps 5,000 events cheap. */
export const PAGE = 150;

export function MessageList(props: {
  transcript: TranscriptStore;
  empty?: string;
  onRaiseBudget?: () => void;
}) {
  const t = props.transcript;
  const [limit, setLimit] = createSignal(PAGE);
  const hidden = () => Math.max(0, t.items().length - limit());
  const visible = createMemo(() => {
    const all = t.items();
    return all.length > limit() ? all.slice(all.length - limit()) : all;
  });

  let scroller: HTMLDivElement | undefined;
  let inner: HTMLDivElement | undefined;
  let follow: FollowScroll | undefined;
  /** The reader scrolled up: offer the way back to the latest output. */
  const [away, setAway] = createSignal(false);
  onMount(() => {
    if (scroller && inner) follow = makeFollowScroll(scroller, inner, (f) => setAway(!f));
  });
  onCleanup(() => follow?.dispose());
  // A new run is what the reader just asked for: show it, even if they had scrolled up.
  createEffect(
    on(
      () => t.activeRun()?.runId,
      (runId) => {
        if (runId) follow?.follow();
      },
      { defer: true },
    ),
  );

  const showEarlier = () => {
    const before = scroller ? scroller.scrollHeight - scroller.scrollTop : 0;
    setLimit((n) => n + PAGE);
    // Keep the reader's place while older items appear above.
    if (scroller) scroller.scrollTop = scroller.scrollHeight - before;
  };

  return (
    <div class="messages-wrap">
      <div class="messages" ref={(el) => (scroller = el)} role="region" aria-label="Conversation">
        <div class="messages-inner" ref={(el) => (inner = el)}>
          <Show when={hidden() > 0}>
            <button type="button" class="btn link earlier" onClick={showEarlier}>
              Show {Math.min(PAGE, hidden())} earlier of {hidden()}
            </button>
          </Show>
          <Show when={t.items().length === 0 && props.empty}>
            <p class="muted empty">{props.empty}</p>
          </Show>
          <For each={visible()}>
            {(item) => <MessageItem item={item} onRaiseBudget={props.onRaiseBudget} />}
          </For>
        </div>
      </div>
      <Show when={away()}>
        <button type="button" class="btn small jump" onClick={() => follow?.follow()}>
          {t.activeRun() ? "New output below" : "Back to the latest"}{" "}
          <span aria-hidden="true">↓</span>
        </button>
      </Show>
    </div>
  );
}
