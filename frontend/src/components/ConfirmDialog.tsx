// A modal question with two answers; Escape or the backdrop says no. It opens on Cancel: a
// Space or Enter pressed out of habit must not start a build or delete an idea.
import { onCleanup, onMount, type JSX } from "solid-js";
import { Portal } from "solid-js/web";

export function ConfirmDialog(props: {
  title: string;
  children: JSX.Element;
  confirmLabel: string;
  tone?: "danger" | "build";
  onConfirm: () => void;
  onCancel: () => void;
}) {
  let cancelBtn: HTMLButtonElement | undefined;
  let dialog: HTMLDivElement | undefined;
  const previous = document.activeElement;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") props.onCancel();
    // Modal means modal for the keyboard too: Tab cycles through the dialog's own buttons.
    if (e.key === "Tab" && dialog) {
      const buttons = [...dialog.querySelectorAll<HTMLElement>("button:not(:disabled)")];
      const first = buttons[0];
      const last = buttons.at(-1);
      const active = document.activeElement;
      const inside = active instanceof Node && dialog.contains(active);
      if (e.shiftKey && (active === first || !inside)) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && (active === last || !inside)) {
        e.preventDefault();
        first?.focus();
      }
    }
  };
  onMount(() => {
    cancelBtn?.focus();
    document.addEventListener("keydown", onKey);
  });
  onCleanup(() => {
    document.removeEventListener("keydown", onKey);
    if (previous instanceof HTMLElement) previous.focus();
  });
  // In a portal: the dialog must not inherit the layout of wherever it was opened from.
  return (
    <Portal>
      <div class="backdrop" onClick={(e) => e.target === e.currentTarget && props.onCancel()}>
        <div
          ref={(el) => (dialog = el)}
          class="dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby="dialog-title"
        >
          <h2 id="dialog-title">{props.title}</h2>
          <div class="dialog-body">{props.children}</div>
          <div class="dialog-actions">
            <button
              ref={(el) => (cancelBtn = el)}
              class="btn"
              type="button"
              onClick={() => props.onCancel()}
            >
              Cancel
            </button>
            <button
              class={`btn ${props.tone ?? "primary"}`}
              type="button"
              onClick={() => props.onConfirm()}
            >
              {props.confirmLabel}
            </button>
          </div>
        </div>
      </div>
    </Portal>
  );
}
