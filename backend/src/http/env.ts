// The Hono environment of the app: node-server's bindings (optional, so app.request() works without them).
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

export type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  Variables: { auth: "cookie" | "bearer" };
};

/** The peer's address for throttling; requests made in tests without a socket share "local". */
export function clientAddress(c: Context<AppEnv>): string {
  return c.env?.incoming?.socket.remoteAddress ?? "local";
}
