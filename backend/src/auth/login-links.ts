// One-time login links: a token that signs in once and expires in minutes, so the key itself never
// travels in a URL (browser history, Referer, proxy logs).
import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";

export const LOGIN_LINK_TTL_MS = 10 * 60_000;
/** Outstanding tokens kept at most; the oldest go first. */
const MAX_OUTSTANDING = 100;

export interface LoginLinks {
  /** A fresh token, valid once within LOGIN_LINK_TTL_MS. */
  issue(): string;
  /** True once for a token issued and not expired; it is spent whatever the answer. */
  redeem(token: string): boolean;
}

const hashOf = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");

export function createLoginLinks(clock: Clock, ttlMs = LOGIN_LINK_TTL_MS): LoginLinks {
  // Only hashes are kept: a heap dump or a debugger shows no usable token.
  const expiries = new Map<string, number>();
  const prune = (now: number) => {
    for (const [hash, until] of expiries) if (until <= now) expiries.delete(hash);
  };
  return {
    issue() {
      const now = clock.now();
      prune(now);
      while (expiries.size >= MAX_OUTSTANDING) {
        const oldest = expiries.keys().next().value;
        if (oldest === undefined) break;
        expiries.delete(oldest);
      }
      const token = randomBytes(24).toString("base64url");
      expiries.set(hashOf(token), now + ttlMs);
      return token;
    },
    redeem(token) {
      const hash = hashOf(token);
      const until = expiries.get(hash);
      expiries.delete(hash);
      return until !== undefined && until > clock.now();
    },
  };
}
