// The view items a transcript folds into: what the chat (and each subagent group) shows.
import type { Accessor } from "solid-js";
import type { RunMode, RunOutcome } from "@catalyst/shared";
import type { AnswerView } from "./approval-view.js";

export type ToolResultView = { text: string; isError: boolean };

export type StreamedItem = {
  kind: "text" | "thinking";
  key: string;
  messageId: string | null;
  text: Accessor<string>;
};
export type ToolItem = {
  kind: "tool";
  key: string;
  id: string;
  name: string;
  summary: string;
  input: unknown;
  result: Accessor<ToolResultView | null>;
  denied: Accessor<boolean>;
  /** The run ended before a result came (cancelled, failed). */
  stopped: Accessor<boolean>;
  /** A permission request for this call waits for the person. */
  awaiting: Accessor<boolean>;
  /** What a subagent started by this call did. */
  children: Accessor<Item[]>;
};
export type FooterItem = {
  kind: "footer";
  key: string;
  runId: string;
  mode: RunMode;
  outcome: RunOutcome;
  durationMs: number;
  turns: number | null;
  costUsd: number | null;
  message: string | null;
  stderrTail: string[];
  /** How many tool calls were denied: a run that completed without them did not do all it was asked. */
  denied: number;
};
/** A tool call (or a question) waiting for a person's answer, and the answer once given. */
export type ApprovalItem = {
  kind: "approval";
  key: string;
  requestId: string;
  toolName: string;
  /** The CLI's name for the tool (differs for MCP tools). */
  displayName: string;
  toolUseId: string | null;
  input: unknown;
  /** What the call does, in Claude's words. */
  description: string | null;
  /** Why the CLI asks ("This Bash command contains multiple operations..."). */
  decisionReason: string | null;
  /** The rules "Always allow" keeps for the idea (`Bash(npm init *)`); empty: only "once". */
  alwaysRules: string[];
  /** Claude's question (AskUserQuestion): only a person answers it. */
  isQuestion: boolean;
  /** The key argument (command, file), relative to the run's folder. */
  summary: string;
  answer: Accessor<AnswerView | null>;
  /** The run ended before anyone answered. */
  expired: Accessor<boolean>;
};
export type Item =
  | {
      kind: "user";
      key: string;
      mode: RunMode;
      text: string;
      /** Sent into a running session: Claude reads it after the turn at hand. */
      queued?: boolean;
    }
  | StreamedItem
  | ToolItem
  | { kind: "notice"; key: string; level: "info" | "warning" | "error"; message: string }
  /** The CLI stopped the run at its --max-budget-usd: said in words, with a way to raise it. */
  | { kind: "budget_stop"; key: string; message: string }
  /** The server refused to start a run because the idea's budget is used up (402 budget_exceeded). */
  | { kind: "budget_refused"; key: string; message: string }
  | { kind: "output"; key: string; lines: Accessor<string[]> }
  | FooterItem
  | ApprovalItem
  | { kind: "error"; key: string; message: string };

/** The page's view of the idea's active run (the backend's ActiveRun is the one behind meta.activeRunId). */
export type ActiveRunView = { runId: string; mode: RunMode; cancelling: boolean };
