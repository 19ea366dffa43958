// The mock model's script: which answers it gives, in order, validated with zod.
import { readFile } from "node:fs/promises";
import { z } from "zod";

/** How a text answer is streamed: `deltaChars` characters per `text_delta`, `intervalMs` apart. */
const pacing = {
  deltaChars: z.number().int().positive().optional(),
  intervalMs: z.number().int().min(0).optional(),
};

export const textTurnSchema = z.object({
  type: z.literal("text"),
  text: z.string(),
  ...pacing,
});

/** The model calls a tool; the next turn is served once a request carries its `tool_result`. */
export const toolTurnSchema = z.object({
  type: z.literal("tool"),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  /** Optional text block before the tool call, as models often write. */
  text: z.string().optional(),
});

/** An HTTP error answer (401, 429, 500, 529...), served `times` times in a row (retries count). */
export const errorTurnSchema = z.object({
  type: z.literal("error"),
  status: z.number().int().min(400).max(599),
  message: z.string().optional(),
  times: z.number().int().positive().default(1),
});

/** The connection is cut mid-stream, after `message_start` and an optional partial text. */
export const dropTurnSchema = z.object({
  type: z.literal("drop"),
  partialText: z.string().optional(),
});

export const turnSchema = z.discriminatedUnion("type", [
  textTurnSchema,
  toolTurnSchema,
  errorTurnSchema,
  dropTurnSchema,
]);
export type Turn = z.infer<typeof turnSchema>;

export const scenarioSchema = z.object({
  turns: z.array(turnSchema),
  /** What side requests (titles, summaries, quota checks) get: they never consume turns. */
  sideText: z.string().default("Mock title"),
  /** What a main request gets once the script is used up. */
  fallbackText: z.string().default("(the mock model has no more scripted turns)"),
  model: z.string().default("claude-sonnet-4-5-20250929"),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export type ParseResult = { success: true; data: Scenario } | { success: false; error: string };

export function parseScenario(input: unknown): ParseResult {
  const parsed = scenarioSchema.safeParse(input);
  if (parsed.success) return { success: true, data: parsed.data };
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`);
  return { success: false, error: `Invalid scenario:\n${lines.join("\n")}` };
}

export async function loadScenario(path: string): Promise<ParseResult> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (err) {
    return {
      success: false,
      error: `Cannot read scenario ${path}: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  return parseScenario(json);
}
