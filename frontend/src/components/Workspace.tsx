// The signed-in page: connects the live socket, and lays out the idea list beside the open chat.
import { createResource, createSignal, onCleanup, onMount, Show } from "solid-js";
import type { ApiClient } from "../api/client.js";
import { AppProvider, type AppServices } from "../context.js";
import { createSocket, socketUrl } from "../socket/create-socket.js";
import { createIdeasStore } from "../stores/ideas.js";
import { connectLive } from "../stores/live.js";
import type { Session } from "../stores/session.js";
import { createTranscriptStore, type TranscriptStore } from "../stores/transcript.js";
import { browserAttentionPort } from "../util/attention-port.js";
import { asSentence } from "../util/format.js";
import { createRoute } from "../util/route.js";
import { createAccountStore } from "../stores/account.js";
import { AccountPanel } from "./AccountPanel.js";
import { ConnectionBanner } from "./ConnectionBanner.js";
import { IdeaList } from "./IdeaList.js";
import { IdeaView } from "./IdeaView.js";
import { UsagePage } from "./UsagePage.js";
import { Welcome } from "./Welcome.js";

export function Workspace(props: { api: ApiClient; session: Session }) {
  const api = props.api;
  const route = createRoute();
  const ideas = createIdeasStore(api);
  const transcripts = new Map<string, TranscriptStore>();
  const transcript = (id: string) => {
    let t = transcripts.get(id);
    if (!t) transcripts.set(id, (t = createTranscriptStore()));
    return t;
  };
  const sock = createSocket(socketUrl());
  const [health] = createResource(async () => {
    const r = await api.health();
    return r.ok ? r.value : null;
  });
  const live = connectLive(sock.socket, {
    transcript: (id) => transcripts.get(id),
    ideaChanged: (id, deleted) => void ideas[1].changed(id, deleted),
    error: (message, code) => {
      if (code === "unauthorized") props.session.expired();
      else console.warn(message);
    },
  });
  // The list may have changed while the socket was down: refetch it on every reconnect.
  const offOpen = sock.socket.onOpen(() => void ideas[1].refresh());
  // A WebSocket refused for want of a session (the server restarted, or signed out elsewhere)
  // looks like any dropped connection from here; an HTTP call tells them apart: its 401 signs out
  // instead of "Reconnecting…" forever.
  const offDrop = sock.socket.onState((s) => {
    if (s === "closed") void api.listIdeas();
  });
  onCleanup(() => {
    offOpen();
    offDrop();
    live.dispose();
  });
  onMount(() => void ideas[1].refresh());
  const [creating, setCreating] = createSignal(false);
  const account = createAccountStore(api);
  const [accountOpen, setAccountOpen] = createSignal(false);

  const services: AppServices = {
    api,
    session: props.session,
    ideas,
    transcript,
    live,
    connection: sock,
    health: () => health() ?? null,
    openAccount: () => setAccountOpen(true),
    attention: browserAttentionPort(),
  };

  return (
    <AppProvider services={services}>
      <div class="app" data-view={route.ideaId() || route.usage() ? "chat" : "list"}>
        <header class="topbar">
          <span class="brand">Catalyst</span>
          <Show when={health()}>
            {(h) => (
              <span class="target" title="Where Claude Code runs">
                on {h().target}
              </span>
            )}
          </Show>
          <span class="spacer" />
          <button type="button" class="btn small" onClick={() => setAccountOpen(true)}>
            Account
          </button>
          <a class="btn small" href="#/usage" aria-current={route.usage() ? "page" : undefined}>
            Usage
          </a>
          <button type="button" class="btn small" onClick={() => void props.session.logout()}>
            Sign out
          </button>
        </header>
        <ConnectionBanner />
        <Show when={accountOpen()}>
          <AccountPanel account={account} onClose={() => setAccountOpen(false)} />
        </Show>
        <Show when={health() && !health()?.cliFound}>
          <div class="banner error" role="alert">
            Claude Code was not found on {health()?.target}. {asSentence(health()?.cliError)} Runs
            will fail until it is installed.
          </div>
        </Show>
        <div class="panes">
          <aside class="sidebar">
            <IdeaList
              selected={route.ideaId()}
              onSelect={(id) => route.open(id)}
              creating={creating()}
              onCreating={setCreating}
            />
          </aside>
          <main class="main">
            <Show
              when={route.ideaId()}
              keyed
              fallback={
                <Show when={route.usage()} fallback={<Welcome onNew={() => setCreating(true)} />}>
                  <UsagePage onBack={() => route.open(null)} />
                </Show>
              }
            >
              {(id) => <IdeaView ideaId={id} onBack={() => route.open(null)} />}
            </Show>
          </main>
        </div>
      </div>
    </AppProvider>
  );
}
