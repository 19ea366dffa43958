// The Terminal tab: several shells per idea, each in its own tab; reopened after a reload.
import { createEffect, createSignal, For, Show } from "solid-js";
import { rememberedTerminals, rememberTerminals } from "../socket/make-terminal-socket.js";
import { TerminalView, type TerminalHandle } from "./TerminalView.js";

interface Tab {
  key: number;
  /** The server's id once it answered; set at first from the last page load's shells. */
  id: string | null;
  handle?: TerminalHandle;
}

export function TerminalPanel(props: { ideaId: string; visible: boolean }) {
  let next = 1;
  const initial = rememberedTerminals(props.ideaId).map((id) => ({ key: next++, id }));
  const [tabs, setTabs] = createSignal<Tab[]>(
    initial.length > 0 ? initial : [{ key: next++, id: null }],
  );
  const [active, setActive] = createSignal(tabs()[0]?.key ?? 0);
  // Tab objects stay the same (a new object would mount a new terminal): ids are kept in place.
  const persist = () =>
    rememberTerminals(
      props.ideaId,
      tabs().flatMap((t) => (t.id ? [t.id] : [])),
    );
  createEffect(persist);
  const add = () => {
    const key = next++;
    setTabs([...tabs(), { key, id: null }]);
    setActive(key);
  };
  const close = (tab: Tab) => {
    tab.handle?.end();
    const rest = tabs().filter((t) => t.key !== tab.key);
    setTabs(rest);
    if (active() === tab.key) setActive(rest.at(-1)?.key ?? 0);
  };
  const nameOf = (key: number) => `Terminal ${tabs().findIndex((t) => t.key === key) + 1}`;
  return (
    <section class="terminals" aria-label="Terminals">
      <div class="terminal-tabs" role="tablist" aria-label="Terminals">
        <For each={tabs()}>
          {(tab) => (
            <span class="terminal-tab" classList={{ active: active() === tab.key }}>
              <button
                type="button"
                role="tab"
                aria-selected={active() === tab.key}
                class="terminal-tab-name"
                onClick={() => setActive(tab.key)}
              >
                {nameOf(tab.key)}
              </button>
              <button
                type="button"
                class="terminal-tab-close"
                aria-label={`Close ${nameOf(tab.key)} (ends its shell)`}
                title="Close (ends the shell and what it started)"
                onClick={() => close(tab)}
              >
                ×
              </button>
            </span>
          )}
        </For>
        <button type="button" class="btn small" onClick={add}>
          + New terminal
        </button>
      </div>
      <Show when={tabs().length === 0}>
        <p class="muted file-note">
          No terminal open. A new one starts a shell in the project folder.
        </p>
      </Show>
      <For each={tabs()}>
        {(tab) => (
          <div class="terminal-slot" hidden={active() !== tab.key}>
            <TerminalView
              ideaId={props.ideaId}
              reattachId={tab.id}
              visible={props.visible && active() === tab.key}
              label={nameOf(tab.key)}
              onId={(id) => {
                tab.id = id;
                persist();
              }}
              ref={(h) => (tab.handle = h)}
            />
          </div>
        )}
      </For>
    </section>
  );
}
