// An idea's meta.json: what the idea is, where it stands, and what its runs cost.
import { z } from "zod";
import { ideaStatusSchema, permissionDecisionSchema, permissionScopeSchema } from "./events.js";

/** nanoid's default alphabet, at the default length of 21. */
export const ideaIdSchema = z.string().regex(/^[A-Za-z0-9_-]{21}$/, "not a valid idea id");

/** Claude Code session ids are UUIDs. */
export const sessionIdSchema = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
    "not a session id",
  );

/**
 * How a run of the idea answers Claude Code's tool requests: `ask` the person, or `auto` (allow
 * every tool call, recorded `by: "policy"`). AskUserQuestion always goes to the person.
 */
export const approvalsPolicySchema = z.enum(["ask", "auto"]);
export type ApprovalsPolicy = z.infer<typeof approvalsPolicySchema>;

export const ideaMetaSchema = z.looseObject({
  id: ideaIdSchema,
  title: z.string(),
  description: z.string(),
  status: ideaStatusSchema,
  sessionId: sessionIdSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  totalCostUsd: z.number(),
  /**
   * The last `total_cost_usd` the CLI reported for the current session. The CLI restores a
   * session's cost on `--resume`, so a resumed run's own cost is its total minus this.
   */
  sessionCostUsd: z.number().nonnegative().optional(),
  /** How many runs the idea has had. */
  runs: z.number().int().nonnegative(),
  /** The run going on now, if any (set by the server; null after a restart). */
  activeRunId: z.string().nullable().optional(),
  /**
   * The idea's approvals policy. Absent in meta.json means the server default (BUILD_APPROVALS);
   * the API fills it in on every idea it returns.
   */
  approvals: approvalsPolicySchema.optional(),
  /** The seq of the last transcript event. */
  lastSeq: z.number().int().nonnegative().optional(),
  /** What the idea's runs may cost in all (USD); null or absent: no per-idea limit. */
  budgetUsd: z.number().nonnegative().nullable().optional(),
});
export type IdeaMeta = z.infer<typeof ideaMetaSchema>;

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 20_000;
/** A chat or build message; larger is a 413. */
export const MESSAGE_MAX_BYTES = 1024 * 1024;
/** A per-idea budget above this is a typo, not a plan. */
export const BUDGET_MAX_USD = 1_000_000;

export const createIdeaBodySchema = z.object({
  title: z.string().trim().min(1, "title is required").max(TITLE_MAX),
  description: z.string().max(DESCRIPTION_MAX).optional(),
});
export const patchIdeaBodySchema = z
  .object({
    title: z.string().trim().min(1, "title cannot be empty").max(TITLE_MAX).optional(),
    description: z.string().max(DESCRIPTION_MAX).optional(),
    approvals: approvalsPolicySchema.optional(),
    budgetUsd: z
      .number("budgetUsd must be a number of dollars or null")
      .nonnegative("budgetUsd cannot be negative")
      .max(BUDGET_MAX_USD, `budgetUsd cannot be more than ${BUDGET_MAX_USD}`)
      .nullable()
      .optional(),
  })
  .refine(
    (b) =>
      b.title !== undefined ||
      b.description !== undefined ||
      b.approvals !== undefined ||
      b.budgetUsd !== undefined,
    "nothing to change",
  );
export const chatBodySchema = z.object({
  message: z.string().trim().min(1, "message is required"),
});
export const buildBodySchema = z.object({ message: z.string().optional() });

/** A deny's message to Claude, or an AskUserQuestion free-text answer: bounded like a chat message. */
export const ANSWER_TEXT_MAX = 20_000;
/** AskUserQuestion asks a few questions; this bounds a whole answer well under MESSAGE_MAX_BYTES. */
export const ANSWERS_MAX = 16;

/**
 * `POST /api/ideas/:id/permissions/:requestId` (and the WebSocket `permission_answer` frame):
 * answers a waiting permission_request. 404 unknown request, 409 (`already_answered`) answered.
 * AskUserQuestion: `decision: "allow"` with `answers` (question text -> label, several labels
 * joined with ", ", or the person's own words); a deny declines to answer.
 */
export const permissionAnswerBodySchema = z.object({
  decision: permissionDecisionSchema,
  scope: permissionScopeSchema.default("once"),
  message: z.string().max(ANSWER_TEXT_MAX).optional(),
  answers: z
    .record(z.string().max(ANSWER_TEXT_MAX), z.string().max(ANSWER_TEXT_MAX))
    .refine((a) => Object.keys(a).length <= ANSWERS_MAX, `at most ${ANSWERS_MAX} answers`)
    .optional(),
});
export type PermissionAnswerBody = z.input<typeof permissionAnswerBodySchema>;
export type PermissionAnswer = z.output<typeof permissionAnswerBodySchema>;
