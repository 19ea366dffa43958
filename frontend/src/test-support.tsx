// Test helpers: a hand-written fake fetch with a route table, and the app services around it.
import type { JSX } from "solid-js";
import { createSignal } from "solid-js";
import { makeApiClient, type FetchLike } from "./api/client.js";
import { AppProvider, type AppServices } from "./context.js";
import { createIdeasStore } from "./stores/ideas.js";
import { connectLive } from "./stores/live.js";
import { createSession } from "./stores/session.js";
import { createTranscriptStore, type TranscriptStore } from "./stores/transcript.js";
import { makeSocket } from "./socket/make-socket.js";
import { MockWebSocket } from "./socket/mock-websocket.js";
import { fakeAttentionPort } from "./util/attention-port.js";

export type Handler = (body: unknown) => { status: number; json?: unknown };
export type Call = { method: string; path: string; body: unknown };

export function fakeFetch(routes: Record<string, Handler>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (input, init) => {
    const method = init?.method ?? "GET";
    const path = input;
    const body: unknown = typeof init?.body === "string" ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, body });
    const handler = routes[`${method} ${path}`];
    const { status, json } = handler ? handler(body) : { status: 404, json: undefined };
    const payload =
      json !== undefined
        ? json
        : status === 404
          ? { error: { code: "not_found", message: `no route ${method} ${path}` } }
          : undefined;
    return new Response(payload === undefined ? null : JSON.stringify(payload), { status });
  };
  return { fetch, calls };
}

export function meta(id: string, over: Record<string, unknown> = {}) {
  return {
    id,
    title: `Idea ${id.slice(0, 4)}`,
    description: "",
    status: "chatting",
    sessionId: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    totalCostUsd: 0.0123,
    runs: 1,
    activeRunId: null,
    ...over,
  };
}

export function makeServices(routes: Record<string, Handler>) {
  const { fetch, calls } = fakeFetch(routes);
  const api = makeApiClient({ fetch });
  const transcripts = new Map<string, TranscriptStore>();
  const transcript = (id: string) => {
    let t = transcripts.get(id);
    if (!t) transcripts.set(id, (t = createTranscriptStore()));
    return t;
  };
  const socket = makeSocket("ws://test/api/ws", { WebSocket: MockWebSocket });
  const live = connectLive(
    socket,
    { transcript: (id) => transcripts.get(id), ideaChanged: () => {}, error: () => {} },
    (fn) => fn(),
  );
  const [state] = createSignal<"open">("open");
  const attention = fakeAttentionPort();
  const services: AppServices = {
    api,
    session: createSession(api),
    ideas: createIdeasStore(api),
    transcript,
    live,
    connection: { state, attempt: () => 0, everOpened: () => true },
    health: () => ({
      ok: true,
      target: "local",
      cliFound: true,
      cliVersion: "2.0.0",
      cliError: null,
    }),
    attention: attention.port,
  };
  const wrap = (ui: () => JSX.Element) => () => (
    <AppProvider services={services}>{ui()}</AppProvider>
  );
  return { services, calls, wrap, transcript, attention };
}
