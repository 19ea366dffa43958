// What the CLI is told: the person's words, preceded by the idea itself when the session is new.
import type { IdeaMeta, RunMode } from "@catalyst/shared";

export const DEFAULT_BUILD_MESSAGE =
  "Build it now: create the project in the current folder, following what we discussed.";

/** What the transcript shows as the person's message. */
export function shownMessage(mode: RunMode, message: string | undefined): string {
  const trimmed = message?.trim() ?? "";
  if (trimmed !== "") return trimmed;
  return mode === "build" ? DEFAULT_BUILD_MESSAGE : "";
}

/** A fresh session knows nothing: it gets the idea's title and description first. */
export function composePrompt(meta: IdeaMeta, shown: string, freshSession: boolean): string {
  if (!freshSession) return shown;
  const description = meta.description.trim();
  return [
    `We are working on an idea called "${meta.title}".`,
    description === "" ? null : `The idea, as it was written down:\n\n${description}`,
    shown,
  ]
    .filter((part) => part !== null)
    .join("\n\n");
}

const MISSING_SESSION = /no conversation found with session id/i;

/** The CLI's answer when `--resume` names a session it does not have (deleted, other folder). */
export function saysSessionMissing(text: string | null | undefined): boolean {
  return text != null && MISSING_SESSION.test(text);
}
