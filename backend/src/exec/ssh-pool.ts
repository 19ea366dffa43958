// A pool of warm SSH connections: reuse them, stay under the server's MaxSessions per connection,
// open more when busy, reconnect with backoff after a drop, close the idle ones.
import type { Client } from "ssh2";
import { ExecError } from "./executor.js";

export interface PoolOptions {
  connect(): Promise<Client>;
  /** Channels per connection; OpenSSH's default MaxSessions is 10, keep room for side commands. */
  maxChannels?: number;
  idleMs?: number;
  /** Waits between connection attempts when the target is unreachable. */
  retryDelaysMs?: number[];
}

export interface Lease {
  readonly client: Client;
  /** The server refused a channel: treat this connection as full at its current count. */
  markFull(): void;
  release(): void;
}

interface Conn {
  ready: Promise<Client>;
  client: Client | null;
  open: number;
  max: number;
  dead: boolean;
  idle: NodeJS.Timeout | null;
}

export interface SshPool {
  acquire(): Promise<Lease>;
  /** Connections currently open or opening (for tests and the bench). */
  size(): number;
  close(): Promise<void>;
}

export function createSshPool(opts: PoolOptions): SshPool {
  const maxChannels = opts.maxChannels ?? 8;
  const idleMs = opts.idleMs ?? 5 * 60_000;
  const delays = opts.retryDelaysMs ?? [250, 1000, 3000];
  let conns: Conn[] = [];
  let closing = false;

  const drop = (conn: Conn) => {
    conn.dead = true;
    if (conn.idle) clearTimeout(conn.idle);
    conns = conns.filter((c) => c !== conn);
  };

  const create = (): Conn => {
    const conn: Conn = {
      ready: opts.connect(),
      client: null,
      open: 0,
      max: maxChannels,
      dead: false,
      idle: null,
    };
    conn.ready.then(
      (client) => {
        conn.client = client;
        client.on("close", () => drop(conn));
        client.on("error", () => drop(conn));
      },
      () => drop(conn),
    );
    conns.push(conn);
    return conn;
  };

  const release = (conn: Conn) => {
    conn.open = Math.max(0, conn.open - 1);
    if (conn.open > 0 || conn.dead || conn.idle) return;
    conn.idle = setTimeout(() => {
      drop(conn);
      conn.client?.end();
    }, idleMs);
    conn.idle.unref();
  };

  return {
    async acquire() {
      for (let attempt = 0; ; attempt++) {
        if (closing) throw new ExecError("unreachable", "The SSH connections are closing");
        const conn = conns.find((c) => !c.dead && c.open < c.max) ?? create();
        conn.open++;
        if (conn.idle) {
          clearTimeout(conn.idle);
          conn.idle = null;
        }
        try {
          const client = await conn.ready;
          if (conn.dead) throw new ExecError("unreachable", "The SSH connection dropped");
          let released = false;
          return {
            client,
            markFull() {
              conn.max = Math.max(1, conn.open - 1);
            },
            release() {
              if (released) return;
              released = true;
              release(conn);
            },
          };
        } catch (err) {
          conn.open--;
          const retriable = !(err instanceof ExecError) || err.kind === "unreachable";
          const delay = delays[attempt];
          if (!retriable || delay === undefined) throw err;
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    },
    size: () => conns.length,
    async close() {
      closing = true;
      const all = conns;
      conns = [];
      await Promise.all(
        all.map(async (c) => {
          if (c.idle) clearTimeout(c.idle);
          c.dead = true;
          const client = await c.ready.catch(() => null);
          client?.end();
        }),
      );
    },
  };
}
