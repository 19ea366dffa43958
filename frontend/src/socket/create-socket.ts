// The reactive wrapper over makeSocket: connection state as signals, closed with its owner.
import { createSignal, onCleanup, type Accessor } from "solid-js";
import { makeSocket, type Socket, type SocketOptions, type SocketState } from "./make-socket.js";

export type ReactiveSocket = {
  socket: Socket;
  state: Accessor<SocketState>;
  /** Failed attempts since the last successful connection. */
  attempt: Accessor<number>;
  /** False until the first connection opened: the banner stays quiet while the page starts. */
  everOpened: Accessor<boolean>;
};

export function createSocket(url: string, opts?: SocketOptions): ReactiveSocket {
  const socket = makeSocket(url, opts);
  const [state, setState] = createSignal<SocketState>(socket.state());
  const [attempt, setAttempt] = createSignal(0);
  const [everOpened, setEverOpened] = createSignal(false);
  const offState = socket.onState((s, a) => {
    setState(s);
    setAttempt(a);
    if (s === "open") setEverOpened(true);
  });
  // Coming back online or to the tab is a good moment to skip the rest of the backoff.
  const retry = () => socket.reconnectNow();
  const onVisible = () => {
    if (document.visibilityState === "visible") retry();
  };
  if (typeof window !== "undefined") {
    window.addEventListener("online", retry);
    document.addEventListener("visibilitychange", onVisible);
  }
  onCleanup(() => {
    socket.close();
    offState();
    if (typeof window !== "undefined") {
      window.removeEventListener("online", retry);
      document.removeEventListener("visibilitychange", onVisible);
    }
  });
  return { socket, state, attempt, everOpened };
}

/** ws:// or wss:// for the page's own origin. */
export function socketUrl(loc: Pick<Location, "protocol" | "host"> = location): string {
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}/api/ws`;
}
