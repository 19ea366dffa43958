// The project folder as a tree: each folder is listed when first opened (lazy), never all at once.
import type { FileEntry } from "@catalyst/shared";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { useApp } from "../context.js";

const join = (dir: string, name: string) => (dir === "" ? name : `${dir}/${name}`);

export function FileTree(props: {
  ideaId: string;
  selected: string | null;
  onOpen: (path: string, entry: FileEntry) => void;
}) {
  return (
    <div class="file-tree" role="tree" aria-label="Project files">
      <Folder
        ideaId={props.ideaId}
        path=""
        depth={0}
        selected={props.selected}
        onOpen={props.onOpen}
      />
    </div>
  );
}

function Folder(props: {
  ideaId: string;
  path: string;
  depth: number;
  selected: string | null;
  onOpen: (path: string, entry: FileEntry) => void;
}) {
  const app = useApp();
  const [listing, { refetch }] = createResource(() => app.api.listFiles(props.ideaId, props.path));
  return (
    <Switch>
      <Match when={listing.loading && !listing.latest}>
        <p class="muted tree-note" style={{ "padding-left": `${props.depth * 14 + 8}px` }}>
          Loading…
        </p>
      </Match>
      <Match when={listing() && !listing()?.ok && listing()}>
        {(r) => {
          const res = r();
          return (
            <p class="tree-note error" role="alert">
              {res.ok ? "" : res.error.message}{" "}
              <button type="button" class="btn link" onClick={() => void refetch()}>
                Retry
              </button>
            </p>
          );
        }}
      </Match>
      <Match when={listing()?.ok && listing()}>
        {(r) => {
          const res = r();
          if (!res.ok) return null;
          // Git's own folder is noise here (as in most editors); the archive leaves it out too.
          const entries = res.value.entries.filter(
            (e) => !(e.name === ".git" && props.depth === 0),
          );
          return (
            <ul role="group" class="tree-list">
              <Show when={entries.length === 0 && props.depth === 0}>
                <li class="muted tree-note">
                  The project folder is empty. Press Build to fill it.
                </li>
              </Show>
              <For each={entries}>
                {(entry) => <Entry {...props} entry={entry} path={join(props.path, entry.name)} />}
              </For>
              <Show when={res.value.truncated}>
                <li class="muted tree-note">More entries than can be shown.</li>
              </Show>
            </ul>
          );
        }}
      </Match>
    </Switch>
  );
}

function Entry(props: {
  ideaId: string;
  entry: FileEntry;
  path: string;
  depth: number;
  selected: string | null;
  onOpen: (path: string, entry: FileEntry) => void;
}) {
  const [open, setOpen] = createSignal(false);
  const isDir = () => props.entry.type === "dir";
  const indent = () => ({ "padding-left": `${props.depth * 14 + 8}px` });
  return (
    <li
      role="treeitem"
      aria-expanded={isDir() ? open() : undefined}
      aria-selected={props.selected === props.path}
    >
      <button
        type="button"
        class="tree-row"
        classList={{ selected: props.selected === props.path }}
        style={indent()}
        title={props.path}
        onClick={() => (isDir() ? setOpen(!open()) : props.onOpen(props.path, props.entry))}
      >
        <span class="tree-icon" aria-hidden="true">
          {isDir() ? (open() ? "▾" : "▸") : props.entry.type === "symlink" ? "↪" : "·"}
        </span>
        <span class="tree-name">{props.entry.name}</span>
      </button>
      <Show when={isDir() && open()}>
        <Folder
          ideaId={props.ideaId}
          path={props.path}
          depth={props.depth + 1}
          selected={props.selected}
          onOpen={props.onOpen}
        />
      </Show>
    </li>
  );
}
