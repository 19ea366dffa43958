// An open idea: tabs for its chat, its project's files, its terminals, and a build run's changes.
// Panels stay mounted once opened, so a terminal keeps its shell and the chat its scroll.
import { createSignal, For, lazy, Show, type JSX } from "solid-js";
import { Chat } from "./Chat.js";
import { FilesPanel } from "./FilesPanel.js";
import { IdeaViewContext } from "./idea-view-context.js";

// xterm.js and diff2html load when their tab is first opened: the chat does not wait for them.
const TerminalPanel = lazy(() =>
  import("./TerminalPanel.js").then((m) => ({ default: m.TerminalPanel })),
);
const ChangesPanel = lazy(() =>
  import("./ChangesPanel.js").then((m) => ({ default: m.ChangesPanel })),
);

type Tab = "chat" | "files" | "terminal" | "changes";

export function IdeaView(props: { ideaId: string; onBack: () => void }) {
  const [tab, setTab] = createSignal<Tab>("chat");
  const [opened, setOpened] = createSignal<ReadonlySet<Tab>>(new Set(["chat"]));
  const [changesRun, setChangesRun] = createSignal<string | null>(null);
  let openedFrom: HTMLElement | null = null;
  const [reverted, setReverted] = createSignal(0);
  const show = (t: Tab) => {
    setOpened((s) => new Set([...s, t]));
    setTab(t);
  };
  const tabs = (): Array<[Tab, string]> => [
    ["chat", "Chat"],
    ["files", "Files"],
    ["terminal", "Terminal"],
    ...(changesRun() ? ([["changes", "Changes"]] as Array<[Tab, string]>) : []),
  ];
  const onKey = (e: KeyboardEvent) => {
    // The tab list's arrow keys, as in the WAI-ARIA tabs pattern.
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const list = tabs().map(([t]) => t);
    const i = list.indexOf(tab());
    const next = list[(i + (e.key === "ArrowRight" ? 1 : list.length - 1)) % list.length];
    if (next) {
      show(next);
      document.getElementById(`idea-tab-${next}`)?.focus();
    }
  };
  const panel = (t: Tab, body: () => JSX.Element) => (
    <Show when={opened().has(t)}>
      <div
        class={`idea-panel idea-panel-${t}`}
        role="tabpanel"
        id={`idea-panel-${t}`}
        aria-labelledby={`idea-tab-${t}`}
        hidden={tab() !== t}
      >
        {body()}
      </div>
    </Show>
  );

  return (
    <IdeaViewContext.Provider
      value={{
        showChanges(runId) {
          // The control that opened the changes is in the chat, which is now hidden: the keyboard
          // goes to the Changes tab, and back to that control when they are closed.
          const opener = document.activeElement;
          openedFrom = opener instanceof HTMLElement ? opener : null;
          setChangesRun(runId);
          show("changes");
          document.getElementById("idea-tab-changes")?.focus();
        },
      }}
    >
      <div class="idea-view">
        <div class="idea-tabs" role="tablist" aria-label="Idea views" onKeyDown={onKey}>
          {/* On a phone the list is hidden: the chat's header has the way back, the other tabs this. */}
          <Show when={tab() !== "chat"}>
            <button
              type="button"
              class="btn icon back"
              aria-label="Back to ideas"
              onClick={() => props.onBack()}
            >
              ←
            </button>
          </Show>
          <For each={tabs()}>
            {([t, label]) => (
              <button
                type="button"
                role="tab"
                id={`idea-tab-${t}`}
                aria-controls={`idea-panel-${t}`}
                aria-selected={tab() === t}
                tabIndex={tab() === t ? 0 : -1}
                class="idea-tab"
                onClick={() => show(t)}
              >
                {label}
              </button>
            )}
          </For>
        </div>
        {panel("chat", () => (
          <Chat ideaId={props.ideaId} onBack={props.onBack} />
        ))}
        {panel("files", () => (
          <FilesPanel ideaId={props.ideaId} changed={reverted()} />
        ))}
        {panel("terminal", () => (
          <TerminalPanel ideaId={props.ideaId} visible={tab() === "terminal"} />
        ))}
        <Show when={changesRun()} keyed>
          {(runId) =>
            panel("changes", () => (
              <ChangesPanel
                ideaId={props.ideaId}
                runId={runId}
                onReverted={() => setReverted(reverted() + 1)}
                onClose={() => {
                  setChangesRun(null);
                  show("chat");
                  const back = openedFrom?.isConnected ? openedFrom : null;
                  (back ?? document.getElementById("idea-tab-chat"))?.focus();
                  openedFrom = null;
                }}
              />
            ))
          }
        </Show>
      </div>
    </IdeaViewContext.Provider>
  );
}
