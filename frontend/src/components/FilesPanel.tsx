// The Files tab: the project's tree beside the open file, and the whole project as a download.
import { createSignal, For, Show } from "solid-js";
import { useApp } from "../context.js";
import { FileTree } from "./FileTree.js";
import { FileViewer } from "./FileViewer.js";

export function FilesPanel(props: { ideaId: string }) {
  const app = useApp();
  const [open, setOpen] = createSignal<string | null>(null);
  // The tree lists folders once; a new one after a build shows up on Refresh.
  const [generation, setGeneration] = createSignal(0);
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
                <FileViewer ideaId={props.ideaId} path={path} />
              </>
            )}
          </Show>
        </div>
      </div>
    </section>
  );
}
