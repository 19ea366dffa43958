// A build run's changes: the files it touched and git's patch drawn by diff2html, and a revert.
import type { RunChanges } from "@catalyst/shared";
import { html as diffHtml } from "diff2html";
import "diff2html/bundles/css/diff2html.min.css";
import { ColorSchemeType } from "diff2html/lib-esm/types.js";
import DOMPurify from "dompurify";
import { createResource, createSignal, For, Show } from "solid-js";
import { useApp } from "../context.js";
import { ConfirmDialog } from "./ConfirmDialog.js";

const statusMark: Record<RunChanges["files"][number]["status"], string> = {
  added: "A",
  modified: "M",
  deleted: "D",
  renamed: "R",
};

/** The patch as HTML: diff2html escapes the lines; DOMPurify makes sure, as they are untrusted. */
function renderPatch(patch: string, sideBySide: boolean): string {
  const html = diffHtml(patch, {
    drawFileList: false,
    matching: "lines",
    outputFormat: sideBySide ? "side-by-side" : "line-by-line",
    colorScheme: ColorSchemeType.AUTO,
  });
  return DOMPurify.sanitize(html);
}

export function ChangesPanel(props: {
  ideaId: string;
  runId: string;
  onClose: () => void;
  /** The project's files were put back: what shows them must read them again. */
  onReverted?: () => void;
}) {
  const app = useApp();
  const [changes, { refetch }] = createResource(() =>
    app.api.runChanges(props.ideaId, props.runId),
  );
  const [sideBySide, setSideBySide] = createSignal(
    window.matchMedia?.("(min-width: 1100px)").matches ?? false,
  );
  const [confirm, setConfirm] = createSignal(false);
  const [note, setNote] = createSignal<{ error: boolean; text: string } | null>(null);
  const revert = async () => {
    setConfirm(false);
    const r = await app.api.revertRun(props.ideaId, props.runId);
    if (r.ok) props.onReverted?.();
    setNote(
      r.ok
        ? {
            error: false,
            text: `Put back ${r.value.restored} file${r.value.restored === 1 ? "" : "s"} as they were before this run.`,
          }
        : { error: true, text: r.error.message },
    );
  };
  return (
    <section class="changes" aria-label="Changes of a build run">
      <div class="files-bar">
        <h2 class="files-title">Changes of this build run</h2>
        <span class="spacer" />
        <button
          type="button"
          class="btn small"
          aria-pressed={sideBySide()}
          onClick={() => setSideBySide(!sideBySide())}
        >
          {sideBySide() ? "Unified" : "Side by side"}
        </button>
        <button
          type="button"
          class="btn small danger"
          onClick={() => setConfirm(true)}
          disabled={!changes()?.ok}
        >
          Revert this run…
        </button>
        <button type="button" class="btn small" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
      <Show when={note()}>
        {(n) => (
          <p
            class={`changes-note ${n().error ? "error" : "ok"}`}
            role={n().error ? "alert" : "status"}
          >
            {n().text}
          </p>
        )}
      </Show>
      <Show when={!changes.loading} fallback={<p class="muted file-note">Loading the changes…</p>}>
        <Show
          when={changes()?.ok && changes()}
          fallback={
            <p class="file-note error" role="alert">
              {(() => {
                const r = changes();
                return r && !r.ok ? r.error.message : "";
              })()}{" "}
              <button type="button" class="btn link" onClick={() => void refetch()}>
                Retry
              </button>
            </p>
          }
        >
          {(r) => {
            const res = r();
            if (!res.ok) return null;
            const c = res.value;
            return (
              <div class="changes-body">
                <Show
                  when={c.files.length > 0}
                  fallback={<p class="muted file-note">This run changed no files.</p>}
                >
                  <ul class="changes-files">
                    <For each={c.files}>
                      {(f) => (
                        <li class={`changed-${f.status}`}>
                          <span class="change-mark" title={f.status}>
                            {statusMark[f.status]}
                          </span>
                          <span class="change-path">
                            {f.oldPath ? `${f.oldPath} → ` : ""}
                            {f.path}
                          </span>
                          <span class="change-count">
                            {f.binary ? (
                              "binary"
                            ) : (
                              <>
                                <span class="plus">+{f.additions}</span>{" "}
                                <span class="minus">−{f.deletions}</span>
                              </>
                            )}
                          </span>
                        </li>
                      )}
                    </For>
                  </ul>
                  <Show when={c.truncated}>
                    <p class="muted file-note">The patch is long: only its beginning is shown.</p>
                  </Show>
                  {/* Safe: renderPatch sanitizes diff2html's output with DOMPurify. */}
                  <div class="diff-view" innerHTML={renderPatch(c.patch, sideBySide())} />
                </Show>
              </div>
            );
          }}
        </Show>
      </Show>
      <Show when={confirm()}>
        <ConfirmDialog
          title="Revert this build run?"
          confirmLabel="Revert"
          tone="danger"
          onCancel={() => setConfirm(false)}
          onConfirm={() => void revert()}
        >
          <p>
            The files this run added are removed, and the files it changed or deleted are put back
            as they were before it. Changes made to other files since stay as they are.
          </p>
          <p>Edits made to these same files after the run are lost.</p>
        </ConfirmDialog>
      </Show>
    </section>
  );
}
