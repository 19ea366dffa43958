// Test helper: decodes a fixture file with the product's decoder, in chunks that cut lines anywhere.
import type { ClaudeEvent } from "@catalyst/shared";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { createStreamDecoder } from "./index.js";

export const FIXTURES_DIR = new URL("./fixtures/", import.meta.url).pathname;
export const REAL_FIXTURES_DIR = join(FIXTURES_DIR, "real");

const realIndexSchema = z.object({
  cliVersion: z.string(),
  captures: z.array(
    z.looseObject({ name: z.string(), exitCode: z.number().nullable(), stderr: z.string() }),
  ),
});
export type RealCapture = z.infer<typeof realIndexSchema>["captures"][number];

/**
 * fixtures/real/index.json: the CLI version and each capture's name, exit code and stderr. Throws
 * when it is missing or malformed: a test over the captures must fail then, not pass on none.
 */
export function readRealIndex(): z.infer<typeof realIndexSchema> {
  return realIndexSchema.parse(
    JSON.parse(readFileSync(join(REAL_FIXTURES_DIR, "index.json"), "utf8")),
  );
}

/** The captures' file names, from the index (a listed capture whose file is missing fails its test). */
export const realCaptureFiles = (): string[] =>
  readRealIndex().captures.map((c) => `${c.name}.ndjson`);

export function decodeFile(path: string, chunkSize = 7): ClaudeEvent[] {
  const bytes = readFileSync(path);
  const d = createStreamDecoder();
  const events: ClaudeEvent[] = [];
  // Odd-sized chunks, so lines and multi-byte characters are cut in many places.
  for (let i = 0; i < bytes.length; i += chunkSize)
    events.push(...d.push(bytes.subarray(i, i + chunkSize)));
  events.push(...d.end());
  return events;
}

/** Neither `unknown` nor `invalid_line`: an event the product understood. */
export const known = (e: ClaudeEvent) => e.type !== "unknown" && e.type !== "invalid_line";
