// What the mock model reads from a Messages API request: loose zod schemas and small queries.
import { z } from "zod";

const contentBlockSchema = z.looseObject({
  type: z.string(),
  tool_use_id: z.string().optional(),
  text: z.string().optional(),
});

export const messageSchema = z.looseObject({
  // The CLI also sends `role: "system"` entries inside `messages`: any role is accepted.
  role: z.string(),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});
export type Message = z.infer<typeof messageSchema>;

export const messagesRequestSchema = z.looseObject({
  model: z.string().default("unknown"),
  messages: z.array(messageSchema).default([]),
  system: z.unknown().optional(),
  tools: z.array(z.looseObject({ name: z.string().optional() })).optional(),
  stream: z.boolean().optional(),
  max_tokens: z.number().optional(),
});
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

/** Ids of the `tool_result` blocks in the request's last user message. */
export function lastToolResultIds(req: MessagesRequest): string[] {
  const last = req.messages.findLast((m) => m.role === "user");
  if (!last || typeof last.content === "string") return [];
  return last.content.flatMap((b) =>
    b.type === "tool_result" && b.tool_use_id ? [b.tool_use_id] : [],
  );
}

/** Every text the request carries (user and assistant turns), for tests that look for a phrase. */
export function allText(req: MessagesRequest): string {
  return req.messages
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content.map((b) => b.text ?? JSON.stringify(b)).join("\n"),
    )
    .join("\n");
}

/**
 * The agent loop's requests offer tools; the CLI's side requests (session titles, summaries,
 * quota checks) do not. Side requests must not consume scripted turns.
 */
export function isMainRequest(req: MessagesRequest): boolean {
  return (req.tools?.length ?? 0) > 0;
}
