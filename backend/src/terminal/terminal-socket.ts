// The terminal's WebSocket, /api/ideas/:id/terminal: the relay's login and Origin rules, zod-checked
// frames, a heartbeat, and the close rules (a deliberate close ends the shell, a lost socket not).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { terminalClientFrameSchema, type TerminalServerFrame } from "@catalyst/shared";
import { WebSocket, WebSocketServer } from "ws";
import type { Auth } from "../auth/auth.js";
import type { Logger } from "../deps.js";
import { AppError, toAppError } from "../http/app-error.js";
import type { IdeaStore } from "../ideas/store.js";
import { checkUpgrade, refusalResponse } from "../relay/upgrade-check.js";
import type { Terminal, TerminalSink, Terminals } from "./terminals.js";

const PATH = /^\/api\/ideas\/([^/]+)\/terminal$/;
/** Above this much unsent output the shell is paused until the socket catches up. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** Code the page closes with to end the shell (1000); anything else (1001 on reload) keeps it. */
export const CLOSE_ENDS_SHELL = 1000;

export interface UpgradeRoute {
  matches(path: string): boolean;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

function sizeOf(url: URL): { cols: number; rows: number } {
  const n = (v: string | null, d: number) => {
    const x = Number(v);
    return Number.isInteger(x) && x >= 2 && x <= 1000 ? x : d;
  };
  return { cols: n(url.searchParams.get("cols"), 80), rows: n(url.searchParams.get("rows"), 24) };
}

export function terminalRoute(
  deps: { auth: Auth; store: IdeaStore; terminals: Terminals; logger: Logger },
  heartbeatMs = 30_000,
): UpgradeRoute {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  const alive = new WeakMap<WebSocket, boolean>();

  const send = (ws: WebSocket, frame: TerminalServerFrame, onSent?: () => void) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame), onSent);
  };

  const connect = (
    ws: WebSocket,
    terminal: Terminal,
    reattached: boolean,
    token: string | null,
  ) => {
    alive.set(ws, true);
    const stopRevoke = deps.auth.sessions.onRevoke((t) => {
      if (t === token) ws.close(4001, "logged out");
    });
    const sink: TerminalSink = {
      output(data) {
        send(ws, { type: "output", data }, () => {
          if (ws.bufferedAmount < HIGH_WATER_BYTES / 4) terminal.resume();
        });
        return ws.bufferedAmount < HIGH_WATER_BYTES;
      },
      exit: (code) => send(ws, { type: "exit", code }),
      close: (reason) => ws.close(4000, reason.slice(0, 120)),
    };
    send(ws, { type: "ready", terminalId: terminal.id, reattached });
    terminal.attach(sink);
    ws.on("pong", () => alive.set(ws, true));
    ws.on("message", (data, isBinary) => {
      let parsed: unknown = null;
      try {
        parsed = isBinary ? null : JSON.parse(data.toString());
      } catch {
        // Not JSON: answered below like any other bad frame.
      }
      const frame = terminalClientFrameSchema.safeParse(parsed);
      if (!frame.success) {
        send(ws, { type: "error", message: "not a terminal frame: {type: input|resize, ...}" });
        return;
      }
      if (frame.data.type === "input") terminal.input(frame.data.data);
      else terminal.resize({ cols: frame.data.cols, rows: frame.data.rows });
    });
    ws.on("close", (code) => {
      stopRevoke();
      if (code === CLOSE_ENDS_SHELL) void terminal.close();
      else terminal.detach(sink);
    });
    ws.on("error", (err) => deps.logger.warn("terminal socket error", { error: String(err) }));
  };

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    matches: (path) => PATH.test(path),
    handle(req, socket, head) {
      socket.on("error", () => socket.destroy());
      const refuse = (err: unknown) => {
        socket.once("finish", () => socket.destroy());
        socket.end(refusalResponse(toAppError(err)));
      };
      void (async () => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const token = checkUpgrade(req, deps.auth);
        const rawId = PATH.exec(url.pathname)?.[1] ?? "";
        // A broken %-escape names no idea: the store answers 404 for it as for any bad id.
        let ideaId = rawId;
        try {
          ideaId = decodeURIComponent(rawId);
        } catch {
          // kept as sent
        }
        await deps.store.get(ideaId);
        const { terminal, reattached } = await deps.terminals.open(
          ideaId,
          sizeOf(url),
          url.searchParams.get("terminal"),
        );
        if (socket.destroyed) {
          if (!reattached) await terminal.close();
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => connect(ws, terminal, reattached, token));
      })().catch((err: unknown) => {
        if (!(err instanceof AppError))
          deps.logger.error("terminal upgrade failed", { error: String(err) });
        refuse(err);
      });
    },
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
