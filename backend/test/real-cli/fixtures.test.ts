// Issue 6, test 7: every line the pinned real CLI printed (the captured fixtures) decodes to a known event.
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { createStreamDecoder } from "../../src/stream/index.js";
import { readRealIndex, REAL_FIXTURES_DIR } from "../../src/stream/fixture-files.js";
import { claudeVersion } from "./harness.js";

const dir = REAL_FIXTURES_DIR;
const installer = resolve(import.meta.dirname, "../../../scripts/install-claude.sh");

const index = readRealIndex();
const pinned = /VERSION="\$\{CLAUDE_CODE_VERSION:-([^}]+)\}"/.exec(
  readFileSync(installer, "utf8"),
)?.[1];

describe("captured real CLI output", () => {
  it("was captured with the CLI version the installer pins", () => {
    expect(pinned).toBeDefined();
    expect(index.cliVersion).toBe(pinned);
    // Where the CLI is installed (CI), it is that version too.
    const installed = claudeVersion();
    if (installed !== null) expect(installed).toBe(`${pinned} (Claude Code)`);
  });

  it("has a fixture file for every capture listed in index.json", () => {
    const files = readdirSync(dir).filter((f) => f.endsWith(".ndjson"));
    expect(files.sort()).toEqual(index.captures.map((c) => `${c.name}.ndjson`).sort());
  });

  for (const { name, exitCode } of index.captures) {
    it(`${name}: every line is a known event, and the run ends with a result`, () => {
      const bytes = readFileSync(join(dir, `${name}.ndjson`));
      const lines = bytes.toString("utf8").split("\n").filter(Boolean);
      // Decode in small chunks, as bytes arrive from a pipe, not only line by line.
      const decoder = createStreamDecoder();
      const events = [];
      for (let i = 0; i < bytes.length; i += 4096) {
        events.push(...decoder.push(bytes.subarray(i, i + 4096)));
      }
      events.push(...decoder.end());

      const strange = events.filter((e) =>
        ["unknown", "invalid_line", "stream_error"].includes(e.type),
      );
      expect(strange).toEqual([]);
      // Stream bookkeeping lines (message_start, content_block_stop...) rightly yield nothing.
      expect(lines.length).toBeGreaterThan(0);
      const results = events.filter((e) => e.type === "result");
      expect(results).toHaveLength(1);
      // A failed exit always comes with a result that says it is an error.
      if (exitCode !== 0) expect(results[0]).toMatchObject({ isError: true });
    });
  }
});
