// The Hono environment of the app: node-server's bindings (optional, so app.request() works without them).
import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

export type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  /** `trustProxy` (TRUST_PROXY): a reverse proxy in front says who asked and how (X-Forwarded-*). */
  Variables: { auth: "cookie" | "bearer"; trustProxy: boolean };
};

/**
 * The peer's address for throttling; requests made in tests without a socket share "local".
 * Behind a trusted proxy, the address the proxy saw (the last X-Forwarded-For entry: the one it
 * added itself; earlier ones are whatever the client claimed).
 */
export function clientAddress(c: Context<AppEnv>): string {
  const forwarded = c.var.trustProxy ? c.req.header("x-forwarded-for") : undefined;
  const last = forwarded?.split(",").at(-1)?.trim();
  if (last) return last;
  return c.env?.incoming?.socket.remoteAddress ?? "local";
}

/** Whether the browser reached us over HTTPS: directly, or (TRUST_PROXY) through a TLS proxy. */
export function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  const proto = c.var.trustProxy ? c.req.header("x-forwarded-proto") : undefined;
  return proto?.split(",")[0]?.trim().toLowerCase() === "https";
}
