// The list of ideas: title, status, whether Claude is working on it, and what it cost so far.
import { For, onMount, Show } from "solid-js";
import { useApp } from "../context.js";
import { formatCost } from "../util/format.js";
import { IdeaForm } from "./IdeaForm.js";
import { StatusPill } from "./StatusPill.js";

export function IdeaList(props: {
  selected: string | null;
  onSelect: (id: string) => void;
  /** Whether the new-idea form is open: the welcome pane can open it too. */
  creating: boolean;
  onCreating: (open: boolean) => void;
}) {
  const app = useApp();
  const [state] = app.ideas;
  const creating = () => props.creating;
  const setCreating = (open: boolean) => props.onCreating(open);
  let newButton: HTMLButtonElement | undefined;
  // Just signed in (the form that had the focus is gone) or opened with no idea: start the
  // keyboard on the page's first control instead of <body>. An open chat's composer may take it.
  onMount(() => {
    if (document.activeElement === null || document.activeElement === document.body) {
      newButton?.focus();
    }
  });
  const running = (id: string, activeRunId: string | null | undefined) =>
    Boolean(activeRunId) || app.transcript(id).activeRun() !== null;

  return (
    <nav class="idea-list" aria-label="Ideas">
      <div class="list-head">
        <h2>Ideas</h2>
        <Show when={!creating()}>
          <button
            ref={(el) => (newButton = el)}
            class="btn primary small"
            type="button"
            onClick={() => setCreating(true)}
          >
            + New idea
          </button>
        </Show>
      </div>
      <Show when={creating()}>
        <IdeaForm
          onCancel={() => {
            setCreating(false);
            // Keyboard users land where they were, not at the top of the page.
            newButton?.focus();
          }}
          onCreated={(idea) => {
            setCreating(false);
            props.onSelect(idea.id);
          }}
        />
      </Show>
      <Show when={state.error}>
        <p class="form-error" role="alert">
          {state.error}
        </p>
      </Show>
      <Show when={state.loaded && state.list.length === 0 && !creating()}>
        <p class="muted empty">
          No ideas yet.
          {/* On a phone the list is all there is: say here what the welcome pane says beside it. */}
          <span class="phone-only">
            {" "}
            Press <strong>+ New idea</strong> to capture one: you talk it through with Claude, then
            press Build and Claude Code writes it.
          </span>
        </p>
      </Show>
      <ul>
        <For each={state.list}>
          {(idea) => (
            <li>
              <button
                type="button"
                class="idea-item"
                classList={{ selected: props.selected === idea.id }}
                aria-current={props.selected === idea.id ? "page" : undefined}
                onClick={() => props.onSelect(idea.id)}
              >
                <span class="idea-title">{idea.title}</span>
                <span class="idea-meta">
                  <StatusPill status={idea.status} running={running(idea.id, idea.activeRunId)} />
                  <span class="cost" title="Cost so far">
                    {formatCost(idea.totalCostUsd)}
                  </span>
                </span>
              </button>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}
