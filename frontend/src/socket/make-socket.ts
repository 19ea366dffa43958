// A plain reconnecting WebSocket: queues sends while closed, reconnects with backoff, notices silence.
export type SocketState = "connecting" | "open" | "closed";

/** The part of the browser's WebSocket this module uses, so tests can hand in a MockWebSocket. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (ev: Event) => void): void;
}
export type WebSocketCtor = new (url: string) => WebSocketLike;

export type SocketOptions = {
  WebSocket?: WebSocketCtor;
  /** Delay before reconnect attempt n (0-based); default 0.5 s doubling to 15 s, with jitter. */
  backoff?: (attempt: number) => number;
  /**
   * Close and reconnect when nothing arrived for this long while open. The server pings at the
   * protocol level (invisible to a page), so this only catches silence when the app sends frames.
   */
  idleTimeoutMs?: number;
  /** Most frames to hold while disconnected; older ones are dropped first. */
  maxQueue?: number;
};

export type Socket = {
  send(data: string): void;
  /** Called with every text frame. */
  onMessage(fn: (data: string) => void): () => void;
  /** Called on every (re)connection, before queued frames are flushed: resubscribe here. */
  onOpen(fn: () => void): () => void;
  onState(fn: (state: SocketState, attempt: number) => void): () => void;
  state(): SocketState;
  /** Skip the remaining backoff and try now (e.g. the browser came back online). */
  reconnectNow(): void;
  close(): void;
};

const OPEN = 1;

export function defaultBackoff(attempt: number): number {
  const base = Math.min(15_000, 500 * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export function makeSocket(url: string, opts: SocketOptions = {}): Socket {
  const Ctor = opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const backoff = opts.backoff ?? defaultBackoff;
  const maxQueue = opts.maxQueue ?? 1000;
  const messageFns = new Set<(data: string) => void>();
  const openFns = new Set<() => void>();
  const stateFns = new Set<(s: SocketState, attempt: number) => void>();
  const queue: string[] = [];
  let ws: WebSocketLike | null = null;
  let state: SocketState = "connecting";
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let closedByUser = false;

  const setState = (s: SocketState) => {
    state = s;
    for (const fn of stateFns) fn(s, attempt);
  };

  const armIdle = () => {
    if (opts.idleTimeoutMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => ws?.close(4000, "idle"), opts.idleTimeoutMs);
  };

  function connect() {
    retryTimer = undefined;
    setState("connecting");
    const sock = new Ctor(url);
    ws = sock;
    sock.addEventListener("open", () => {
      if (ws !== sock) return;
      attempt = 0;
      setState("open");
      armIdle();
      for (const fn of openFns) fn();
      while (queue.length > 0 && sock.readyState === OPEN) sock.send(queue.shift() as string);
    });
    sock.addEventListener("message", (ev) => {
      if (ws !== sock) return;
      armIdle();
      const data = (ev as MessageEvent).data;
      if (typeof data === "string") for (const fn of messageFns) fn(data);
    });
    // An error is always followed by close, so close alone drives reconnection.
    sock.addEventListener("close", () => {
      if (ws !== sock) return;
      ws = null;
      clearTimeout(idleTimer);
      if (closedByUser) return setState("closed");
      setState("closed");
      retryTimer = setTimeout(connect, backoff(attempt));
      attempt += 1;
    });
  }

  connect();

  return {
    send(data) {
      if (ws && ws.readyState === OPEN) return ws.send(data);
      queue.push(data);
      if (queue.length > maxQueue) queue.shift();
    },
    onMessage(fn) {
      messageFns.add(fn);
      return () => messageFns.delete(fn);
    },
    onOpen(fn) {
      openFns.add(fn);
      return () => openFns.delete(fn);
    },
    onState(fn) {
      stateFns.add(fn);
      return () => stateFns.delete(fn);
    },
    state: () => state,
    reconnectNow() {
      if (closedByUser || retryTimer === undefined) return;
      clearTimeout(retryTimer);
      attempt = 0;
      connect();
    },
    close() {
      closedByUser = true;
      clearTimeout(retryTimer);
      clearTimeout(idleTimer);
      retryTimer = undefined;
      if (ws) ws.close(1000, "bye");
      else setState("closed");
    },
  };
}
