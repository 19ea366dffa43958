// A fold: a header button that shows its content only when opened (nothing rendered while closed).
import { createSignal, Show, type JSX } from "solid-js";
import { FOLD_OPEN } from "../util/follow-scroll.js";

export function Folded(props: {
  label: JSX.Element;
  class?: string;
  open?: boolean;
  children: () => JSX.Element;
}) {
  const [open, setOpen] = createSignal(props.open ?? false);
  return (
    <div class={`fold ${props.class ?? ""}`} classList={{ open: open() }}>
      <button
        type="button"
        class="fold-head"
        aria-expanded={open()}
        onClick={(e) => {
          const opening = !open();
          setOpen(opening);
          // The chat must not pin to the bottom under the reader's hands (follow-scroll listens).
          if (opening) e.currentTarget.dispatchEvent(new CustomEvent(FOLD_OPEN, { bubbles: true }));
        }}
      >
        <span class="chevron" aria-hidden="true" />
        {props.label}
      </button>
      <Show when={open()}>
        <div class="fold-body">{props.children()}</div>
      </Show>
    </div>
  );
}
