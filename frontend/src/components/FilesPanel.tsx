// The Files tab: the project's tree beside the open file, and the whole project as a download.
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { useApp } from "../context.js";
import { FileTree } from "./FileTree.js";
import { FileViewer } from "./FileViewer.js";

/** `changed`: goes up when the page changed the project itself (a run reverted). */
export function FilesPanel(props: { ideaId: string; changed?: number }) {
  const app = useApp();
  const [open, setOpen] = createSignal<string | null>(null);
  // The tree lists folders once; Refresh lists them again, and so does the end of each run of the
  // idea (a build writes files while this tab may be open or hidden: it must not show the old tree).
  const [generation, setGeneration] = createSignal(0);
  const running = () => Boolean(app.ideas[1].byId(props.ideaId)?.activeRunId);
  createEffect(
    on(running, (now, before) => {
      if (before && !now) setGeneration(generation() + 1);
    }),
  );
  createEffect(
    on(
      () => props.changed,
      () => setGeneration(generation() + 1),
      { defer: true },
    ),
  );
  return (
    <section class="files" aria-label="Files">
      <div class="files-bar">
        <h2 class="files-title">Project files</h2>
        <span class="spacer" />
        <button type="button" class="btn small" onClick={() => setGeneration(generation() + 1)}>
          Refresh
        </button>
        <a class="btn small" href={app.api.archiveUrl(props.ideaId)} download="">
          Download project (.tar.gz)
        </a>
      </div>
      <div class="files-body" data-open={open() ? "file" : "tree"}>
        <nav class="files-tree" aria-label="Folders">
          {/* A new generation is a new tree: every folder listed again. */}
          <For each={[generation()]}>
            {() => (
              <FileTree ideaId={props.ideaId} selected={open()} onOpen={(path) => setOpen(path)} />
            )}
          </For>
        </nav>
        <div class="files-view">
          <Show
            when={open()}
            keyed
            fallback={<p class="muted file-note">Choose a file to see it.</p>}
          >
            {(path) => (
              <>
                <button type="button" class="btn small files-back" onClick={() => setOpen(null)}>
                  ← Files
                </button>
                {/* The open file is read again with the tree (Refresh, a run's end). */}
                <For each={[generation()]}>
                  {() => <FileViewer ideaId={props.ideaId} path={path} />}
                </For>
              </>
            )}
          </Show>
        </div>
      </div>
    </section>
  );
}
