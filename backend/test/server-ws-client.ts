// A real `ws` client for tests: collects validated server frames and waits for the ones asked for.
import { serverMessageSchema, type ServerMessage } from "@catalyst/shared";
import { WebSocket, type ClientOptions } from "ws";

export interface TestClient {
  ws: WebSocket;
  messages: ServerMessage[];
  send(frame: unknown): void;
  /** Resolves with the first frame (already received or coming) that matches. */
  waitFor<T extends ServerMessage>(match: (m: ServerMessage) => m is T): Promise<T>;
  waitFor(match: (m: ServerMessage) => boolean): Promise<ServerMessage>;
  /** Event seqs received for an idea, in arrival order. */
  seqs(ideaId: string): number[];
  closed: Promise<{ code: number }>;
}

export function connect(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/ws", options);
  const messages: ServerMessage[] = [];
  const waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] =
    [];
  ws.on("message", (data) => {
    const msg = serverMessageSchema.parse(JSON.parse(data.toString()));
    messages.push(msg);
    for (const w of [...waiters]) {
      if (w.match(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  });
  const closed = new Promise<{ code: number }>((resolve) =>
    ws.on("close", (code) => resolve({ code })),
  );
  const client: TestClient = {
    ws,
    messages,
    closed,
    send: (frame) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    waitFor: (match: (m: ServerMessage) => boolean) =>
      new Promise<ServerMessage>((resolve, reject) => {
        const found = messages.find(match);
        if (found) return resolve(found);
        waiters.push({ match, resolve });
        void closed.then(({ code }) => reject(new Error(`socket closed (${code}) while waiting`)));
      }),
    seqs: (ideaId) =>
      messages.flatMap((m) => (m.type === "event" && m.ideaId === ideaId ? [m.seq] : [])),
  } as TestClient;
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) =>
      reject(new Error(`upgrade refused: ${res.statusCode}`)),
    );
    ws.once("error", reject);
  });
}

/** The status code a refused upgrade got. */
export function refusedStatus(url: string, options: ClientOptions = {}): Promise<number> {
  const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/ws", options);
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      ws.close();
      reject(new Error("the upgrade was accepted"));
    });
    ws.once("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once("error", () => undefined);
  });
}

export const isEvent = (ideaId: string, type?: string) => (m: ServerMessage) =>
  m.type === "event" && m.ideaId === ideaId && (type === undefined || m.event.type === type);
