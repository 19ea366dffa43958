// The terminal's socket, plain (no reactivity): frames in and out, zod-checked, and which shells
// this tab had open (sessionStorage), so a reload reattaches to them within the server's minute.
import {
  terminalServerFrameSchema,
  type TerminalClientFrame,
  type TerminalServerFrame,
} from "@catalyst/shared";
import type { WebSocketCtor } from "./make-socket.js";

/** Close code that ends the shell; any other close (reload, leaving the idea) keeps it a minute. */
export const END_SHELL = 1000;
const DETACH = 4000;

export interface TerminalSocket {
  send(frame: TerminalClientFrame): void;
  /** `endShell`: the shell and everything it started end; else the server keeps it a minute. */
  close(endShell: boolean): void;
}

export function terminalUrl(
  ideaId: string,
  size: { cols: number; rows: number },
  reattachId: string | null,
  origin: { protocol: string; host: string } = location,
): string {
  const scheme = origin.protocol === "https:" ? "wss" : "ws";
  const q = new URLSearchParams({ cols: String(size.cols), rows: String(size.rows) });
  if (reattachId) q.set("terminal", reattachId);
  return `${scheme}://${origin.host}/api/ideas/${encodeURIComponent(ideaId)}/terminal?${q}`;
}

export function makeTerminalSocket(opts: {
  url: string;
  onFrame: (frame: TerminalServerFrame) => void;
  /** `opened`: whether the socket ever opened (a refused upgrade never does). */
  onClose: (code: number, opened: boolean) => void;
  WebSocket?: WebSocketCtor;
}): TerminalSocket {
  const Ctor = opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketCtor);
  const ws = new Ctor(opts.url);
  let opened = false;
  ws.addEventListener("open", () => (opened = true));
  ws.addEventListener("message", (ev) => {
    const data = (ev as MessageEvent).data;
    if (typeof data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return;
    }
    const frame = terminalServerFrameSchema.safeParse(json);
    if (frame.success) opts.onFrame(frame.data);
  });
  ws.addEventListener("close", (ev) => opts.onClose((ev as CloseEvent).code, opened));
  return {
    send(frame) {
      if (ws.readyState === 1) ws.send(JSON.stringify(frame));
    },
    close(endShell) {
      ws.close(endShell ? END_SHELL : DETACH, endShell ? "closed" : "detached");
    },
  };
}

const storageKey = (ideaId: string) => `catalyst.terminals.${ideaId}`;

/** The terminal ids this browser tab had open for the idea (empty when none or unreadable). */
export function rememberedTerminals(ideaId: string, storage: Storage = sessionStorage): string[] {
  try {
    const v: unknown = JSON.parse(storage.getItem(storageKey(ideaId)) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").slice(0, 8) : [];
  } catch {
    return [];
  }
}

export function rememberTerminals(
  ideaId: string,
  ids: string[],
  storage: Storage = sessionStorage,
): void {
  try {
    storage.setItem(storageKey(ideaId), JSON.stringify(ids));
  } catch {
    // Storage full or disabled: a reload then opens new shells, nothing worse.
  }
}
