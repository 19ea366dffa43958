// What the idea is about: the description typed at capture, shown under the header and editable.
import { createSignal, Show } from "solid-js";
import { DESCRIPTION_MAX, type IdeaMeta } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";

export function IdeaAbout(props: { idea: IdeaMeta }) {
  const { ideas } = useApp();
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal("");
  const [saving, setSaving] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let editButton: HTMLButtonElement | undefined;

  const stop = () => {
    setEditing(false);
    setError(null);
    queueMicrotask(() => editButton?.focus());
  };
  const save = async () => {
    if (draft() === props.idea.description) return stop();
    setSaving(true);
    const r = await ideas[1].describe(props.idea.id, draft());
    setSaving(false);
    if (r.ok) stop();
    else setError(describeError(r.error));
  };

  return (
    <section class="idea-about" aria-label="About this idea">
      <Show
        when={editing()}
        fallback={
          <div class="about-line">
            {/* None yet: only the offer to add one, a line a phone can spare. */}
            <Show when={props.idea.description.trim()} fallback={<span class="spacer" />}>
              <p class="about-text">{props.idea.description}</p>
            </Show>
            <button
              type="button"
              class="btn link small"
              ref={(el) => (editButton = el)}
              onClick={() => {
                setDraft(props.idea.description);
                setEditing(true);
              }}
            >
              {props.idea.description.trim() ? "Edit description" : "Add a description"}
            </button>
          </div>
        }
      >
        <form
          class="about-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <textarea
            aria-label="Description"
            rows={3}
            maxLength={DESCRIPTION_MAX}
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") stop();
              if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) void save();
            }}
            ref={(el) => queueMicrotask(() => el.focus())}
          />
          <Show when={error()}>
            <p class="form-error" role="alert">
              {error()}
            </p>
          </Show>
          <div class="row">
            <button type="button" class="btn small" onClick={stop}>
              Cancel
            </button>
            <button type="submit" class="btn small primary" disabled={saving()}>
              {saving() ? "Saving…" : "Save"}
            </button>
          </div>
        </form>
      </Show>
    </section>
  );
}
