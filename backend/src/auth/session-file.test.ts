import { describe, expect, it } from "vitest";
import type { Logger } from "../deps.js";
import { memoryFs } from "../fs/memory-fs.test-helper.js";
import { createSessionFile, hashToken, keyFingerprint } from "./session-file.js";

const PATH = "/data/sessions.json";
const KEY = "the-app-key-0123456789";

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (msg) => lines.push(`info ${msg}`),
    warn: (msg) => lines.push(`warn ${msg}`),
    error: (msg) => lines.push(`error ${msg}`),
  };
  return { logger, lines };
}

const session = { tokenHash: hashToken("a-token"), createdAt: 1_000, expiresAt: 9_000 };

describe("sessions.json", () => {
  it("round-trips sessions and holds neither the token nor the key", async () => {
    const fs = memoryFs();
    const { logger } = recordingLogger();
    await createSessionFile(fs, PATH, KEY, logger).save([session]);
    const text = fs.files.get(PATH) ?? "";
    expect(text).not.toContain("a-token");
    expect(text).not.toContain(KEY);
    expect(text).toContain(keyFingerprint(KEY));
    expect([...fs.files.keys()]).toEqual([PATH]);
    expect(await createSessionFile(fs, PATH, KEY, logger).load()).toEqual([session]);
  });

  it("removes temp files a crash left behind, and only those", async () => {
    const fs = memoryFs();
    fs.files.set("/data/.sessions.json.0a1b2c.tmp", "{half");
    fs.files.set("/data/.other.json.0a1b2c.tmp", "not ours");
    const { logger } = recordingLogger();
    await createSessionFile(fs, PATH, KEY, logger).load();
    expect([...fs.files.keys()]).toEqual(["/data/.other.json.0a1b2c.tmp"]);
  });

  it("gives no sessions when the file does not exist, without a log line", async () => {
    const { logger, lines } = recordingLogger();
    expect(await createSessionFile(memoryFs(), PATH, KEY, logger).load()).toEqual([]);
    expect(lines).toEqual([]);
  });

  it("drops the sessions of another key", async () => {
    const fs = memoryFs();
    const { logger, lines } = recordingLogger();
    await createSessionFile(fs, PATH, KEY, logger).save([session]);
    expect(await createSessionFile(fs, PATH, `${KEY}-changed`, logger).load()).toEqual([]);
    expect(lines).toEqual([
      "info APP_KEY changed since the sessions were saved: everyone logs in again",
    ]);
  });

  it.each([
    ["not JSON", "{not json", "warn the sessions file is not JSON: everyone logs in again"],
    [
      "the wrong shape",
      JSON.stringify({ version: 1, keyHash: "x", sessions: "all" }),
      "warn the sessions file is not valid: everyone logs in again",
    ],
    [
      "a bad date",
      JSON.stringify({
        version: 1,
        keyHash: keyFingerprint(KEY),
        sessions: [{ tokenHash: hashToken("t"), createdAt: "yesterday", expiresAt: "never" }],
      }),
      "warn the sessions file is not valid: everyone logs in again",
    ],
  ])("treats a file with %s as no sessions and logs it", async (_what, text, line) => {
    const fs = memoryFs();
    fs.files.set(PATH, text);
    const { logger, lines } = recordingLogger();
    expect(await createSessionFile(fs, PATH, KEY, logger).load()).toEqual([]);
    expect(lines).toEqual([line]);
  });

  it("treats an unreadable file as no sessions and logs it", async () => {
    const fs = memoryFs();
    fs.files.set(PATH, "{}");
    fs.failReads = true;
    const { logger, lines } = recordingLogger();
    expect(await createSessionFile(fs, PATH, KEY, logger).load()).toEqual([]);
    expect(lines).toEqual(["warn cannot read the sessions file: everyone logs in again"]);
  });

  it("leaves the old file whole when a write fails", async () => {
    const fs = memoryFs();
    const { logger } = recordingLogger();
    const file = createSessionFile(fs, PATH, KEY, logger);
    await file.save([session]);
    fs.failWrites = true;
    await expect(file.save([])).rejects.toThrow(/ENOSPC/);
    expect(await file.load()).toEqual([session]);
  });
});
