// Who may open the WebSocket: authenticated like the API, and never from another site's page.
import type { IncomingMessage } from "node:http";
import type { Auth } from "../auth/auth.js";
import { originMatchesHost } from "../auth/same-origin.js";
import { AppError } from "../http/app-error.js";

/**
 * A browser always sends Origin; a page on another site would carry our cookie into the upgrade
 * (cross-site WebSocket hijacking), so Origin must name this host. Without Origin only a script
 * with the Bearer key may connect.
 */
/** Returns the session token the socket was opened with (null for Bearer), to close it on logout. */
export function checkUpgrade(req: IncomingMessage, auth: Auth): string | null {
  const origin = req.headers.origin;
  const host = req.headers.host;
  if (origin !== undefined && !originMatchesHost(origin, host)) {
    throw new AppError("forbidden", `Origin ${origin} does not match this server`);
  }
  const method = auth.check(
    { cookie: req.headers.cookie, authorization: req.headers.authorization },
    req.socket.remoteAddress ?? "local",
  );
  if (origin === undefined && method !== "bearer") {
    throw new AppError("forbidden", "a WebSocket without Origin must authenticate with Bearer");
  }
  return method === "cookie" ? (auth.sessionToken(req.headers.cookie) ?? null) : null;
}

const reasons: Record<number, string> = {
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The HTTP response that refuses an upgrade, with the same JSON error body as the API. */
export function refusalResponse(err: AppError): string {
  const body = JSON.stringify(err.toJSON());
  const lines = [
    `HTTP/1.1 ${err.status} ${reasons[err.status] ?? "Error"}`,
    "Connection: close",
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(err.retryAfter !== undefined ? [`Retry-After: ${err.retryAfter}`] : []),
  ];
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}
