// The shared secret: generated when not configured, and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes: far beyond guessing, short enough to paste. */
export function generateAppKey(): string {
  return randomBytes(32).toString("base64url");
}

/** Hashing both sides first makes the comparison constant-time even when the lengths differ. */
export function keysEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}
