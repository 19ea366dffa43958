// The WebSocket protocol between the page and the server, and the HTTP API's JSON shapes.
import { z } from "zod";
import { transcriptEventSchema } from "./events.js";
import { permissionAnswerBodySchema } from "./idea.js";

const ideaId = z.string().min(1).max(64);

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribe"), ideaId, after: z.number().int().min(0).optional() }),
  z.object({ type: z.literal("unsubscribe"), ideaId }),
  z.object({ type: z.literal("chat"), ideaId, message: z.string() }),
  z.object({ type: z.literal("build"), ideaId, message: z.string().optional() }),
  z.object({ type: z.literal("cancel"), ideaId }),
  /** The same answer as `POST /api/ideas/:id/permissions/:requestId`, through the same code. */
  z.object({
    type: z.literal("permission_answer"),
    ideaId,
    requestId: z.string().min(1).max(200),
    ...permissionAnswerBodySchema.shape,
  }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const errorCodeSchema = z.enum([
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "busy",
  /** The permission request was already answered (by someone else, the policy, a timeout, or the run's end). */
  "already_answered",
  "too_large",
  "too_many_runs",
  "too_many_attempts",
  /** The server's disk (or quota) is full: nothing was written; free space and try again. */
  "disk_full",
  /** As many terminals are open as the server allows. */
  "too_many_terminals",
  /** The target (SSH host) cannot be reached or did not answer. */
  /** The target (SSH host or this machine) could not do what was asked: unreachable, or the CLI failed. */
  "unavailable",
  "budget_exceeded",
  "internal",
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/**
 * Where a decoded event came from in its run's output files on the target: the first byte of its
 * line in `out.ndjson` or `err.log`, and its place among the events decoded from that line. Kept
 * with the entry so that a restarted server resumes reading exactly after the last event it wrote.
 */
export const outputSourceSchema = z.object({
  stream: z.enum(["out", "err"]),
  line: z.number().int().nonnegative(),
  index: z.number().int().nonnegative(),
});
export type OutputSource = z.infer<typeof outputSourceSchema>;

/** One transcript entry: its place in the idea's history, and what happened. */
export const transcriptEntrySchema = z.object({
  seq: z.number().int().positive(),
  ts: z.string(),
  runId: z.string().nullable(),
  event: transcriptEventSchema,
  /** Set on the events of a run decoded from its output files (absent in older transcripts). */
  src: outputSourceSchema.optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntrySchema>;

export const serverMessageSchema = z.discriminatedUnion("type", [
  /** One transcript entry of an idea the client subscribed to. */
  transcriptEntrySchema.extend({ type: z.literal("event"), ideaId: z.string() }),
  z.object({
    type: z.literal("error"),
    ideaId: z.string().optional(),
    code: errorCodeSchema,
    message: z.string(),
  }),
  /** Sent once a subscribe's replay is done: everything after this is live. */
  z.object({ type: z.literal("subscribed"), ideaId: z.string(), lastSeq: z.number().int().min(0) }),
  /** The idea list changed (created, renamed, deleted, status or cost): clients refetch or patch. */
  z.object({
    type: z.literal("idea_changed"),
    ideaId: z.string(),
    deleted: z.boolean().optional(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

export const apiErrorSchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

/**
 * One page of an idea's history. `nextAfter`: the `after` of the next page, or null (or absent)
 * when this page reached the end of the transcript.
 */
export const eventsResponseSchema = z.object({
  events: z.array(transcriptEntrySchema),
  nextAfter: z.number().int().nonnegative().nullable().optional(),
});
/**
 * 202 from chat and build. `queued: true`: a run of the idea was going, and the chat message went
 * into it (a `user_message_queued` event shows it) instead of starting a new run.
 */
export const runAcceptedSchema = z.object({ runId: z.string(), queued: z.boolean().optional() });
/** 200 from `POST /api/ideas/:id/permissions/:requestId`; the `permission_answered` event follows. */
export const permissionAnsweredResponseSchema = z.object({
  runId: z.string(),
  requestId: z.string(),
});

export const healthSchema = z.looseObject({
  ok: z.boolean(),
  target: z.string(),
  cliFound: z.boolean(),
  cliVersion: z.string().nullable(),
  cliError: z.string().nullable(),
});
export type Health = z.infer<typeof healthSchema>;
