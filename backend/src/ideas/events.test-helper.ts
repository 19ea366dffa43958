// Transcript events the ideas tests write by hand: a run's start and a permission request.
import { runStarted, type PermissionRequestEvent, type RunMode } from "@catalyst/shared";

export const startedEvent = (runId: string, mode: RunMode, resumeSessionId: string | null = null) =>
  runStarted({
    runId,
    mode,
    prompt: "Build it",
    target: "local",
    startedAt: "2026-01-02T03:04:05.000Z",
    resumeSessionId,
  });

export const requestEvent = (requestId: string): PermissionRequestEvent => ({
  type: "permission_request",
  parentToolUseId: null,
  requestId,
  toolName: "Bash",
  displayName: "Bash",
  input: { command: "npm test" },
  toolUseId: null,
  description: null,
  decisionReason: null,
  suggestions: [],
  alwaysRules: [],
  requiresUserInteraction: false,
});
