// Security headers on every response: no framing (clickjacking), scripts and styles from this server only.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * hono's secureHeaders (nosniff, Referrer-Policy no-referrer, X-Frame-Options, COOP/CORP) with a
 * Content-Security-Policy for the built page: its one script and stylesheet come from /assets,
 * highlight.js colours by class, and the WebSocket is this origin ('self' covers ws:/wss: in CSP3).
 * HSTS is left out: the server speaks plain HTTP unless a proxy in front of it adds TLS (and HSTS).
 */
const pageHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: "DENY",
  referrerPolicy: "no-referrer",
  strictTransportSecurity: false,
});

/**
 * The page's headers, except that a route which set a stricter policy of its own keeps it: a
 * project file served raw carries a `sandbox` CSP, which the page's policy would replace.
 */
export const securityHeaders = (): MiddlewareHandler => async (c, next) => {
  let own: string | null = null;
  await pageHeaders(c, async () => {
    await next();
    own = c.res.headers.get("content-security-policy");
  });
  if (own !== null) c.res.headers.set("content-security-policy", own);
};
