// Browser sessions: random tokens kept in memory (never the key itself), so a restart logs everyone out.
import { randomBytes } from "node:crypto";
import type { Clock } from "../deps.js";

export const SESSION_COOKIE = "catalyst_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Sessions {
  create(): string;
  isValid(token: string | undefined): boolean;
  revoke(token: string | undefined): void;
  /** Called with each revoked token (logout), so open WebSockets of that session can be closed. */
  onRevoke(listener: (token: string) => void): () => void;
}

export function createSessions(clock: Clock, ttlMs = SESSION_TTL_MS): Sessions {
  const expiries = new Map<string, number>();
  const revokeListeners = new Set<(token: string) => void>();
  return {
    create() {
      const token = randomBytes(32).toString("base64url");
      const now = clock.now().getTime();
      // Expired tokens are dropped here, so the map stays small without a timer.
      for (const [t, exp] of expiries) if (exp <= now) expiries.delete(t);
      expiries.set(token, now + ttlMs);
      return token;
    },
    isValid(token) {
      if (token === undefined) return false;
      const exp = expiries.get(token);
      return exp !== undefined && exp > clock.now().getTime();
    },
    revoke(token) {
      if (token === undefined || !expiries.delete(token)) return;
      for (const listener of [...revokeListeners]) listener(token);
    },
    onRevoke(listener) {
      revokeListeners.add(listener);
      return () => revokeListeners.delete(listener);
    },
  };
}
