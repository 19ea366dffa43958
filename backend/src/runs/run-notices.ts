// What a supervised run tells people in its transcript (notices) and in its end's message, about
// the link to its target and how the server held on to it.
import type { ClaudeEvent } from "@catalyst/shared";

export function noticeEvent(kind: string, level: "info" | "warning", message: string): ClaudeEvent {
  return { type: "notice", parentToolUseId: null, level, kind, message };
}

export const linkLostMessage = (host: string) =>
  `Lost the connection to ${host}. The run goes on there; reconnecting…`;

export const linkRestoredMessage = (host: string) =>
  `Connected to ${host} again: the run is followed from where it was.`;

/** Input lines written as the link dropped, unconfirmed, sent again (input-channel.ts). */
export function resentMessage(lines: number, host: string): string {
  const what = lines === 1 ? "A message or answer" : `${lines} messages or answers`;
  return `${what} written as the connection to ${host} dropped went unconfirmed and ${lines === 1 ? "was" : "were"} sent again; had ${lines === 1 ? "it" : "they"} arrived after all, the run sees ${lines === 1 ? "it" : "them"} twice.`;
}

/** Why a run whose launch had not reached its target ends when the server stops. */
export const stoppedBeforeStart = (host: string) =>
  `The server stopped before the run started on ${host}.`;

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "";
}
