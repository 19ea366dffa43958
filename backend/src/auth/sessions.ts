// Browser sessions: random tokens, remembered by their hash and saved to DATA_DIR so a restart keeps them.
import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Logger } from "../deps.js";
import { hashToken, type SessionFile, type StoredSession } from "./session-file.js";

export const SESSION_COOKIE = "catalyst_session";
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface Sessions {
  /** Reads the saved sessions; called once at start-up, before the first request. */
  load(): Promise<void>;
  /** A new session's token, resolved once the session is saved. */
  create(): Promise<string>;
  isValid(token: string | undefined): boolean;
  /** Ends the session at once; resolves once that is saved too. */
  revoke(token: string | undefined): Promise<void>;
  /** Called with each revoked token (logout), so open WebSockets of that session can be closed. */
  onRevoke(listener: (token: string) => void): () => void;
}

export function createSessions(
  clock: Clock,
  file: SessionFile,
  logger: Logger,
  ttlMs = SESSION_TTL_MS,
): Sessions {
  // Keyed by the token's hash: the token itself exists only in the browser's cookie.
  const sessions = new Map<string, StoredSession>();
  const revokeListeners = new Set<(token: string) => void>();
  let saving: Promise<void> = Promise.resolve();

  /** Drops expired sessions (no timer needed: this runs on every change); true when any were. */
  function prune(now: number): boolean {
    let dropped = false;
    for (const [hash, s] of sessions) {
      if (s.expiresAt <= now) dropped = sessions.delete(hash) || dropped;
    }
    return dropped;
  }

  /** Writes one after another, each with the state at the time of the change, so the last write wins. */
  function persist(): Promise<void> {
    const snapshot = [...sessions.values()];
    saving = saving
      .then(() => file.save(snapshot))
      .catch((err: unknown) => {
        // The session still works until the server stops; only its survival of a restart is lost.
        logger.error("cannot save the sessions file", { error: String(err) });
      });
    return saving;
  }

  return {
    async load() {
      const now = clock.now();
      const stored = await file.load();
      for (const s of stored) if (s.expiresAt > now) sessions.set(s.tokenHash, s);
      // Rewrite when the file held anything we dropped (expired, or another key's sessions).
      if (sessions.size !== stored.length || stored.length === 0) await persist();
    },
    async create() {
      const token = randomBytes(32).toString("base64url");
      const now = clock.now();
      prune(now);
      sessions.set(hashToken(token), {
        tokenHash: hashToken(token),
        createdAt: now,
        expiresAt: now + ttlMs,
      });
      await persist();
      return token;
    },
    isValid(token) {
      if (token === undefined) return false;
      const s = sessions.get(hashToken(token));
      return s !== undefined && s.expiresAt > clock.now();
    },
    async revoke(token) {
      if (token === undefined || !sessions.delete(hashToken(token))) return;
      for (const listener of [...revokeListeners]) listener(token);
      await persist();
    },
    onRevoke(listener) {
      revokeListeners.add(listener);
      return () => revokeListeners.delete(listener);
    },
  };
}
