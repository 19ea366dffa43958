// How a request for a person is shown: what the tool would do, the rule "always" would add, the
// questions Claude asks, and the answer in a few words.
import { z } from "zod";
import {
  askUserQuestionInputSchema,
  type AskUserQuestion,
  type PermissionAnsweredEvent,
} from "@catalyst/shared";

/**
 * "Always allow `npm init *`": what the "always" answer keeps for the idea, from the request's
 * `alwaysRules` as the CLI writes them (`Bash(npm init *)`, `Write`). Null when there is no rule
 * to keep: then only "once" is offered.
 */
export function alwaysLabel(alwaysRules: readonly string[]): string | null {
  if (alwaysRules.length === 0) return null;
  const named = alwaysRules.map((rule) => {
    const m = /^([^(]+)\((.*)\)$/.exec(rule);
    return m && m[2] ? `\`${m[2]}\`` : (m?.[1] ?? rule);
  });
  return `Always allow ${named.join(", ")}`;
}

const toolInputSchema = z.looseObject({
  command: z.string().optional(),
  file_path: z.string().optional(),
  notebook_path: z.string().optional(),
  content: z.string().optional(),
  old_string: z.string().optional(),
  new_string: z.string().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
});

/** The part of a tool call a person judges it by: the command, or the file and what goes in it. */
export type RequestDetail =
  | { kind: "command"; command: string; description: string | null }
  | { kind: "file"; path: string; content: string | null; replaced: string | null }
  | { kind: "other" };

export function requestDetail(toolName: string, input: unknown): RequestDetail {
  const parsed = toolInputSchema.safeParse(input);
  if (!parsed.success) return { kind: "other" };
  const a = parsed.data;
  if (a.command !== undefined && (toolName === "Bash" || a.file_path === undefined)) {
    return { kind: "command", command: a.command, description: a.description ?? null };
  }
  const path = a.file_path ?? a.notebook_path;
  if (path !== undefined) {
    return {
      kind: "file",
      path,
      content: a.content ?? a.new_string ?? null,
      replaced: a.old_string ?? null,
    };
  }
  return { kind: "other" };
}

export type Question = AskUserQuestion;

/** The questions of an `AskUserQuestion` call; empty when its input is not what we know. */
export function questionsOf(input: unknown): Question[] {
  const parsed = askUserQuestionInputSchema.safeParse(input);
  return parsed.success ? parsed.data.questions : [];
}

export const QUESTION_TOOL = "AskUserQuestion";

/** How a request was answered, as recorded (the deny's message and a question's answers too). */
export type AnswerView = Pick<
  PermissionAnsweredEvent,
  "decision" | "scope" | "by" | "message" | "answers"
>;

/** The answer in a few words: "Allowed once", "Always allowed `npm init *`", "Denied: nobody answered". */
export function answerLine(answer: AnswerView, always: string | null, isQuestion: boolean): string {
  if (answer.by === "run_ended") return "Not answered: the run ended";
  if (answer.by === "timeout") {
    return isQuestion ? "Not answered in time" : "Denied: nobody answered in time";
  }
  if (isQuestion) return answer.decision === "allow" ? "Answered" : "Declined to answer";
  if (answer.decision === "deny") return answer.by === "policy" ? "Denied by policy" : "Denied";
  if (answer.by === "policy") return "Allowed automatically (approvals: auto)";
  return answer.scope === "always" && always
    ? always.replace(/^Always allow/, "Always allowed")
    : "Allowed once";
}
