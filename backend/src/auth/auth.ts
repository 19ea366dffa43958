// Who is asking: a valid session cookie or `Authorization: Bearer <APP_KEY>`, with failures throttled.
import { parse as parseCookies } from "hono/utils/cookie";
import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { Logger } from "../deps.js";
import { AppError } from "../http/app-error.js";
import type { FsPort } from "../fs/fs-port.js";
import { createLoginLinks, type LoginLinks } from "./login-links.js";
import { keysEqual } from "./secret.js";
import { createSessionFile, SESSIONS_FILE } from "./session-file.js";
import { createSessions, SESSION_COOKIE, type Sessions } from "./sessions.js";
import { createThrottle, type Throttle } from "./throttle.js";

export type AuthMethod = "cookie" | "bearer";

export interface AuthHeaders {
  cookie: string | undefined;
  authorization: string | undefined;
}

export interface Auth {
  readonly sessions: Sessions;
  readonly loginLinks: LoginLinks;
  /** Login with the key: a session token, or 401 (wrong key) / 429 (too many failures). */
  login(key: string, address: string): Promise<string>;
  /** Login with a one-time link's token: a session token, or 401 (used, expired) / 429. */
  loginWithLink(token: string, address: string): Promise<string>;
  /** The way the request proved itself; throws 401 or 429. */
  check(headers: AuthHeaders, address: string): AuthMethod;
  sessionToken(cookieHeader: string | undefined): string | undefined;
}

export interface AuthDeps {
  appKey: string;
  clock: Clock;
  fs: FsPort;
  /** Sessions are saved in `dataDir/sessions.json`. */
  dataDir: string;
  logger: Logger;
}

export function createAuth(deps: AuthDeps, throttle?: Throttle): Auth {
  const { appKey, clock, logger } = deps;
  const file = createSessionFile(deps.fs, join(deps.dataDir, SESSIONS_FILE), appKey, logger);
  const sessions = createSessions(clock, file, logger);
  const failures = throttle ?? createThrottle(clock);

  /**
   * The right key always works: whoever made the wrong attempts (a page in another tab, another
   * user behind the same reverse proxy) must not lock the owner out. Wrong keys past the limits
   * wait; each is logged with its address, never with the key.
   */
  function tryKey(key: string, address: string): void {
    if (keysEqual(key, appKey)) return;
    const wait = failures.retryAfter(address);
    failures.fail(address);
    logger.warn("wrong key", { address, throttled: wait > 0 });
    if (wait > 0) {
      throw new AppError("too_many_attempts", "too many wrong keys; try again later", {
        retryAfter: wait,
      });
    }
    throw new AppError("unauthorized", "wrong key");
  }

  const sessionToken = (cookieHeader: string | undefined) =>
    cookieHeader ? parseCookies(cookieHeader, SESSION_COOKIE)[SESSION_COOKIE] : undefined;

  const loginLinks = createLoginLinks(clock);

  return {
    sessions,
    loginLinks,
    sessionToken,
    async login(key, address) {
      tryKey(key, address);
      return sessions.create();
    },
    async loginWithLink(token, address) {
      if (loginLinks.redeem(token)) return sessions.create();
      const wait = failures.retryAfter(address);
      failures.fail(address);
      logger.warn("unknown or spent login link", { address, throttled: wait > 0 });
      if (wait > 0) {
        throw new AppError("too_many_attempts", "too many failed logins; try again later", {
          retryAfter: wait,
        });
      }
      throw new AppError(
        "unauthorized",
        "this login link was already used or has expired; log in with the key",
      );
    },
    check(headers, address) {
      const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
      if (bearer !== undefined) {
        tryKey(bearer.trim(), address);
        return "bearer";
      }
      if (sessions.isValid(sessionToken(headers.cookie))) return "cookie";
      throw new AppError("unauthorized", "log in first (POST /api/login) or send a Bearer key");
    },
  };
}
