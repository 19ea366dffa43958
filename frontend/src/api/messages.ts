// Turns API and socket error codes into sentences a person understands.
import type { ApiFailure } from "./result.js";

const byCode: Record<string, string> = {
  busy: "Claude is already working on this idea. Wait for it to finish, or cancel it.",
  too_many_runs: "The server is running as many sessions as it allows. Try again in a minute.",
  too_large: "That message is too large to send.",
  unauthorized: "You are signed out. Sign in again with the key.",
  forbidden: "The server refused this request.",
  not_found: "This idea no longer exists.",
  too_many_attempts: "Too many wrong keys. Wait a minute before trying again.",
  network: "Cannot reach the server. Check that it is running.",
  bad_response: "The server sent an answer the page does not understand.",
  internal: "Something went wrong on the server.",
};

/** Codes whose sentence says all there is: the server's words would only repeat it in jargon. */
const complete = new Set(["busy", "unauthorized", "not_found", "network", "bad_response"]);

/** A plain explanation, with the server's own words when it said something more specific. */
export function describeError(e: Pick<ApiFailure, "code" | "message">): string {
  const plain = byCode[e.code];
  if (!plain) return e.message || "Something went wrong.";
  if (complete.has(e.code) || !e.message) return plain;
  return `${plain} (${e.message})`;
}
