// /api/login, /api/logout, /api/session: the browser's way in and out.
import { Hono, type Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { AppError } from "../http/app-error.js";
import { clientAddress, isHttps, type AppEnv } from "../http/env.js";
import { jsonBody } from "../http/json-body.js";
import type { Auth } from "./auth.js";
import { isUnsafeMethod, originMatchesHost } from "./same-origin.js";
import { SESSION_COOKIE, SESSION_TTL_MS } from "./sessions.js";

/** The key typed into the form, or the token of a one-time login link (`#login=<token>`). */
const loginBody = z.union([
  z.object({ key: z.string().min(1, "key is required").max(1024) }),
  z.object({ token: z.string().min(1, "token is required").max(256) }),
]);

export function authRoutes(auth: Auth) {
  return new Hono<AppEnv>()
    .post("/login", async (c) => {
      // Before the key is looked at: another site's page must not even spend the throttle.
      refuseCrossOrigin(c);
      const body = await jsonBody(c, loginBody);
      const token =
        "key" in body
          ? await auth.login(body.key, clientAddress(c))
          : await auth.loginWithLink(body.token, clientAddress(c));
      setCookie(c, SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: "Strict",
        path: "/",
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
        secure: isHttps(c),
      });
      return c.body(null, 204);
    })
    .post("/logout", async (c) => {
      refuseCrossOrigin(c);
      await auth.sessions.revoke(auth.sessionToken(c.req.header("cookie")));
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.body(null, 204);
    })
    .get("/session", (c) => {
      const method = auth.check(
        { cookie: c.req.header("cookie"), authorization: c.req.header("authorization") },
        clientAddress(c),
      );
      return c.json({ authenticated: true, method });
    });
}

/**
 * SameSite=Strict does not cover another port of this host (the same site), and a text/plain form
 * or a no-cors fetch can carry a JSON body: a browser's changing request must come from our page.
 * Browsers send Origin on every such request; one without Origin is not a browser's cross-site one.
 */
function refuseCrossOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin === undefined || !isUnsafeMethod(c.req.method)) return;
  const host = c.req.header("host") ?? new URL(c.req.url).host;
  if (!originMatchesHost(origin, host)) {
    throw new AppError("forbidden", `Origin ${origin} does not match this server`);
  }
}

/** Every /api route but login, logout, session and health goes through this. */
export function requireAuth(auth: Auth) {
  return async (c: Context<AppEnv>, next: () => Promise<void>) => {
    let method: "cookie" | "bearer";
    try {
      method = auth.check(
        { cookie: c.req.header("cookie"), authorization: c.req.header("authorization") },
        clientAddress(c),
      );
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError("unauthorized", "not logged in");
    }
    // A browser attaches the cookie by itself; a Bearer key is only ever sent on purpose.
    if (method === "cookie") refuseCrossOrigin(c);
    c.set("auth", method);
    await next();
  };
}
