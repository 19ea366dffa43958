// Wires the API client, stores and live feed together once, and hands them to components.
import { createContext, useContext, type ParentProps } from "solid-js";
import type { ApiClient } from "./api/client.js";
import type { Health } from "@catalyst/shared";
import type { IdeasStore } from "./stores/ideas.js";
import type { Live } from "./stores/live.js";
import type { Session } from "./stores/session.js";
import type { TranscriptStore } from "./stores/transcript.js";
import type { ReactiveSocket } from "./socket/create-socket.js";
import type { AttentionPort } from "./util/attention-port.js";
import type { Accessor } from "solid-js";

export type AppServices = {
  api: ApiClient;
  session: Session;
  ideas: IdeasStore;
  /** One transcript store per idea, kept while the page lives so switching back is instant. */
  transcript(ideaId: string): TranscriptStore;
  live: Live;
  connection: Pick<ReactiveSocket, "state" | "attempt" | "everOpened">;
  health: Accessor<Health | null>;
  /** Opens the Account panel (the Claude account on the machine). */
  openAccount?: () => void;
  /** The tab title, background state and notifications. */
  attention: AttentionPort;
};

const Ctx = createContext<AppServices>();

export function AppProvider(props: ParentProps<{ services: AppServices }>) {
  return <Ctx.Provider value={props.services}>{props.children}</Ctx.Provider>;
}

export function useApp(): AppServices {
  const s = useContext(Ctx);
  if (!s) throw new Error("useApp outside AppProvider");
  return s;
}
