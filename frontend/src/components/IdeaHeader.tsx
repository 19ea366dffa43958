// The open idea's title bar: rename, status, cost, delete.
import { createEffect, createSignal, on, Show } from "solid-js";
import type { IdeaMeta } from "@catalyst/shared";
import { TITLE_MAX } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";
import { ApprovalPolicy } from "./ApprovalPolicy.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { IdeaSpend } from "./IdeaSpend.js";
import { StatusPill } from "./StatusPill.js";

export function IdeaHeader(props: {
  idea: IdeaMeta;
  running: boolean;
  onBack: () => void;
  onDeleted: () => void;
  /** Opens the budget dialog (the header has no budget button without it). */
  onBudget?: () => void;
}) {
  const { ideas, health } = useApp();
  const [editing, setEditing] = createSignal(false);
  const [draft, setDraft] = createSignal("");
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  // An error from before (a delete refused mid-run) is stale once a run starts or ends.
  createEffect(
    on(
      () => props.running,
      () => setError(null),
      { defer: true },
    ),
  );

  let renameButton: HTMLButtonElement | undefined;
  /** Escape pressed: the blur that follows the input's removal must not save the draft. */
  let discarded = false;
  const stopEditing = (refocus: boolean) => {
    setEditing(false);
    if (refocus) renameButton?.focus();
  };
  const save = async (refocus: boolean) => {
    if (discarded || !editing()) return;
    const title = draft().trim();
    if (!title || title === props.idea.title) return stopEditing(refocus);
    const r = await ideas[1].rename(props.idea.id, title);
    if (r.ok) {
      stopEditing(refocus);
      setError(null);
    } else setError(describeError(r.error));
  };
  const remove = async () => {
    setConfirmDelete(false);
    const r = await ideas[1].remove(props.idea.id);
    if (r.ok) props.onDeleted();
    else setError(describeError(r.error));
  };

  return (
    <header class="idea-header">
      <button
        type="button"
        class="btn icon back"
        aria-label="Back to ideas"
        onClick={() => props.onBack()}
      >
        ←
      </button>
      <div class="idea-heading">
        <Show
          when={editing()}
          fallback={
            <h1 class="idea-name" title={props.idea.description || props.idea.title}>
              {props.idea.title}
            </h1>
          }
        >
          <input
            class="rename"
            aria-label="Idea title"
            maxLength={TITLE_MAX}
            value={draft()}
            onInput={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") void save(true);
              if (e.key === "Escape") {
                discarded = true;
                stopEditing(true);
              }
            }}
            onBlur={() => void save(false)}
            ref={(el) => queueMicrotask(() => el.select())}
          />
        </Show>
        <div class="idea-sub">
          <StatusPill status={props.idea.status} running={props.running} />
          <IdeaSpend idea={props.idea} onBudget={props.onBudget} />
          <ApprovalPolicy idea={props.idea} />
          <Show when={error()}>
            <span class="form-error" role="alert">
              {error()}
            </span>
          </Show>
        </div>
      </div>
      <div class="header-actions">
        <button
          type="button"
          class="btn small"
          ref={(el) => (renameButton = el)}
          onClick={() => {
            discarded = false;
            setDraft(props.idea.title);
            setEditing(true);
          }}
        >
          Rename
        </button>
        <button
          type="button"
          class="btn small danger-text"
          // The server refuses to delete an idea while its run goes: say so before, not after.
          disabled={props.running}
          title={props.running ? "Wait for the run to end, or cancel it, to delete" : undefined}
          onClick={() => setConfirmDelete(true)}
        >
          Delete
        </button>
      </div>
      <Show when={confirmDelete()}>
        <ConfirmDialog
          title="Delete this idea?"
          confirmLabel="Delete"
          tone="danger"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => void remove()}
        >
          <p>
            “{props.idea.title}” and its whole chat history will be removed. This cannot be undone.
          </p>
          <p>
            The project folder Claude worked in on{" "}
            <strong>{health()?.target ?? "the machine"}</strong> stays where it is, with its files.
          </p>
        </ConfirmDialog>
      </Show>
    </header>
  );
}
