// Capturing a new idea: a title and, if you like, a description.
import { createSignal, onMount, Show } from "solid-js";
import type { IdeaMeta } from "@catalyst/shared";
import { TITLE_MAX } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";

export function IdeaForm(props: { onCreated: (idea: IdeaMeta) => void; onCancel: () => void }) {
  const { ideas } = useApp();
  const [title, setTitle] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let titleInput: HTMLInputElement | undefined;
  // Not the autofocus attribute: a browser honours it once per page load, and the sign-in form
  // already used it.
  onMount(() => titleInput?.focus());

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!title().trim()) return setError("Give the idea a title.");
    setBusy(true);
    const r = await ideas[1].create(title().trim(), description());
    setBusy(false);
    if (!r.ok) return setError(describeError(r.error));
    props.onCreated(r.value);
  };

  return (
    <form
      class="idea-form"
      onSubmit={submit}
      aria-label="New idea"
      onKeyDown={(e) => {
        if (e.key === "Escape") props.onCancel();
      }}
    >
      <label for="idea-title">Title</label>
      <input
        id="idea-title"
        maxLength={TITLE_MAX}
        value={title()}
        onInput={(e) => setTitle(e.currentTarget.value)}
        placeholder="A tiny CLI that renames photos by date"
        ref={(el) => (titleInput = el)}
      />
      <label for="idea-description">Description (optional)</label>
      <textarea
        id="idea-description"
        rows={3}
        value={description()}
        onInput={(e) => setDescription(e.currentTarget.value)}
        placeholder="What should it do? Who is it for?"
      />
      <Show when={error()}>
        <p class="form-error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="row">
        <button class="btn" type="button" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button class="btn primary" type="submit" disabled={busy()}>
          Create idea
        </button>
      </div>
    </form>
  );
}
