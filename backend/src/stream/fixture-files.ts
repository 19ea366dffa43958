// Test helper: decodes a fixture file with the product's decoder, in chunks that cut lines anywhere.
import type { ClaudeEvent } from "@catalyst/shared";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createStreamDecoder } from "./index.js";

export const FIXTURES_DIR = new URL("./fixtures/", import.meta.url).pathname;
export const REAL_FIXTURES_DIR = join(FIXTURES_DIR, "real");

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
