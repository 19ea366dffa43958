// Attaches the WebSocket relay to the node HTTP server: upgrade checks, frames, heartbeat, shutdown.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { MESSAGE_MAX_BYTES } from "@catalyst/shared";
import { WebSocket, WebSocketServer } from "ws";
import type { CatalystApp } from "../app.js";
import type { Logger } from "../deps.js";
import { AppError, toAppError } from "../http/app-error.js";
import type { UpgradeRoute } from "../terminal/terminal-socket.js";
import { createConnection, type ConnectionLimits } from "./connection.js";
import { checkUpgrade, refusalResponse } from "./upgrade-check.js";

export const WS_PATH = "/api/ws";

/** The request's path, or null when it does not parse (`//`, `http://[`): an upgrade is a plain 404 then. */
function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? "/", "http://localhost").pathname;
  } catch {
    return null;
  }
}

export interface RelayOptions extends ConnectionLimits {
  /** Ping every this often; a client that did not answer the previous ping is dropped. */
  heartbeatMs: number;
}

export const defaultRelayOptions: RelayOptions = {
  maxBufferedBytes: 8 * 1024 * 1024,
  heartbeatMs: 30_000,
};

export interface Relay {
  clientCount(): number;
  /** Closes every socket (1001 going away) and stops the heartbeat. */
  close(): Promise<void>;
}

export function attachRelay(
  server: Server,
  catalyst: Pick<CatalystApp, "auth" | "store" | "runs" | "hub" | "hostAllowed">,
  logger: Logger,
  options: Partial<RelayOptions> = {},
  /** Other WebSocket paths on this server (the terminal). */
  routes: readonly UpgradeRoute[] = [],
): Relay {
  const opts = { ...defaultRelayOptions, ...options };
  // A chat message may be up to MESSAGE_MAX_BYTES; JSON escaping can make the frame larger.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * MESSAGE_MAX_BYTES });
  const alive = new WeakMap<WebSocket, boolean>();

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node's HTTP server removes its own 'error' listener before 'upgrade': without this one, a
    // client resetting the connection while it is refused would crash the process.
    socket.on("error", () => socket.destroy());
    const refuse = (response: string) => {
      // After the answer, the socket is closed, not left half-open for the client to hold.
      socket.once("finish", () => socket.destroy());
      socket.end(response);
    };
    // Every WebSocket path: a rebound name's page sends a matching Origin and Host, so the name
    // itself must be ours.
    if (!catalyst.hostAllowed(req.headers.host)) {
      const err = new AppError(
        "forbidden",
        `this server does not answer to the name ${req.headers.host ?? "(none)"}; add it to ALLOWED_HOSTS`,
      );
      refuse(refusalResponse(err));
      return;
    }
    const path = pathOf(req.url);
    const route = path === null ? undefined : routes.find((r) => r.matches(path));
    if (route) return route.handle(req, socket, head);
    if (path !== WS_PATH) {
      refuse("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    let session: string | null;
    try {
      session = checkUpgrade(req, catalyst.auth);
    } catch (err) {
      refuse(refusalResponse(toAppError(err)));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, session));
  }

  function onConnection(ws: WebSocket, session: string | null): void {
    alive.set(ws, true);
    // Logging out ends the session's sockets too, not just its future requests.
    const stopRevoke = catalyst.auth.sessions.onRevoke((token) => {
      if (token === session) ws.close(4001, "logged out");
    });
    const conn = createConnection(
      {
        send: (data, onWritten) => ws.send(data, onWritten && (() => onWritten())),
        get bufferedAmount() {
          return ws.bufferedAmount;
        },
        isOpen: () => ws.readyState === WebSocket.OPEN,
        terminate: () => ws.terminate(),
      },
      { store: catalyst.store, runs: catalyst.runs, hub: catalyst.hub, logger },
      opts,
    );
    ws.on("pong", () => alive.set(ws, true));
    ws.on("message", (data, isBinary) => {
      conn.receive(isBinary ? "" : data.toString());
    });
    ws.on("close", () => {
      stopRevoke();
      conn.close();
    });
    ws.on("error", (err) => logger.warn("WebSocket error", { error: String(err) }));
  }

  server.on("upgrade", onUpgrade);
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    clientCount: () => wss.clients.size,
    async close() {
      clearInterval(heartbeat);
      server.off("upgrade", onUpgrade);
      const clients = [...wss.clients];
      const closed = clients.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once("close", () => resolve());
          }),
      );
      for (const ws of clients) ws.close(1001, "server shutting down");
      // A client that does not answer the close handshake is cut off.
      const force = setTimeout(() => clients.forEach((ws) => ws.terminate()), 1000);
      await Promise.all(closed);
      clearTimeout(force);
      wss.close();
    },
  };
}
