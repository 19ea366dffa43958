import { describe, expect, it } from "vitest";
import type { Logger } from "../deps.js";
import { memoryFs } from "../fs/memory-fs.test-helper.js";
import { offsetAfter, readEntries, readLines, recoverTranscript } from "./transcript.js";

function countingLogger() {
  const warnings: string[] = [];
  const logger: Logger = { info: () => {}, warn: (m) => warnings.push(m), error: () => {} };
  return { logger, warnings };
}

const line = (seq: number, text = `m${seq}`) =>
  JSON.stringify({
    seq,
    ts: "2026-01-01T00:00:00.000Z",
    runId: null,
    event: { type: "notice", level: "info", kind: "t", message: text },
  });

const P = "/t/events.ndjson";

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe("readLines", () => {
  it("splits lines across chunk boundaries, multi-byte text included, and leaves out an unfinished last line", async () => {
    const fs = memoryFs();
    const lines = ["é😀 one", "two", "", "three é"];
    fs.files.set(P, `${lines.join("\n")}\npartial`);
    const size = (await fs.size(P)) ?? 0;
    for (const chunk of [1, 2, 3, 7, 1024]) {
      const got = await collect(readLines(fs, P, 0, size, chunk));
      expect(got.map((l) => l.line.toString("utf8"))).toEqual(lines);
      expect(got.map((l) => l.start)).toEqual([0, 11, 15, 16]);
    }
  });
});

describe("readEntries", () => {
  it("returns the entries after `after`, skipping older lines by their seq prefix without parsing them", async () => {
    const fs = memoryFs();
    const { logger, warnings } = countingLogger();
    fs.files.set(P, `{"seq":1,this is not json\n${[2, 3, 4].map((s) => line(s)).join("\n")}\n`);
    const size = (await fs.size(P)) ?? 0;
    const seqs = async (after: number) =>
      (await collect(readEntries(fs, P, size, after, logger))).map((e) => e.entry.seq);
    expect(await seqs(1)).toEqual([2, 3, 4]);
    expect(warnings).toEqual([]);
    expect(await seqs(0)).toEqual([2, 3, 4]);
    expect(warnings).toHaveLength(1);
    expect(await seqs(3)).toEqual([4]);
  });
});

describe("offsetAfter", () => {
  it("finds a line start at or before the first seq > after in a long file, stepping over unreadable lines", async () => {
    const fs = memoryFs();
    const lines = Array.from({ length: 5000 }, (_, i) =>
      i % 97 === 50 ? "garbage line\n" : `${line(i + 1, "x".repeat(i % 300))}\n`,
    );
    const starts: number[] = [];
    let pos = 0;
    for (const l of lines) {
      starts.push(pos);
      pos += Buffer.byteLength(l);
    }
    const text = lines.join("");
    fs.files.set(P, text);
    const size = Buffer.byteLength(text);
    const buf = Buffer.from(text);
    for (const after of [1, 2, 50, 51, 1000, 2500, 4999, 5000, 9000]) {
      const at = await offsetAfter(fs, P, size, after);
      expect(at === 0 || buf[at - 1] === 0x0a).toBe(true);
      const next = (await collect(readEntries(fs, P, size, after, countingLogger().logger)))[0];
      expect(next?.entry.seq ?? null).toBe(
        after >= 5000 ? null : (after + 1) % 97 === 51 ? after + 2 : after + 1,
      );
      // Close before the line of seq after + 1: at most about one 64 KiB probe to skip.
      if (after < 5000) {
        const target = starts[after] ?? 0;
        expect(at).toBeLessThanOrEqual(target);
        expect(target - at).toBeLessThan(70_000);
      }
    }
  });
});

describe("recoverTranscript", () => {
  it("cuts a torn last line and finds the last seq, reading only the file's end", async () => {
    const fs = memoryFs();
    const whole = Array.from({ length: 3000 }, (_, i) => `${line(i + 1)}\n`).join("");
    fs.files.set(P, `${whole}{"seq":3001,"ts":"2026`);
    let read = 0;
    const counting = {
      ...fs,
      readBytes: async (p: string, o: number, n: number) => {
        const got = await fs.readBytes(p, o, n);
        read += got?.length ?? 0;
        return got;
      },
    };
    const { logger, warnings } = countingLogger();
    expect(await recoverTranscript(counting, P, logger)).toEqual({
      lastSeq: 3000,
      bytes: Buffer.byteLength(whole),
    });
    expect(fs.files.get(P)).toBe(whole);
    expect(warnings).toEqual(["cut a torn last line off a transcript"]);
    expect(read).toBeLessThan(300_000);
    expect(Buffer.byteLength(whole)).toBeGreaterThan(300_000);
  });

  it("steps back over unreadable last lines, and says 0 for an empty or missing file", async () => {
    const fs = memoryFs();
    const { logger } = countingLogger();
    fs.files.set(P, `${line(1)}\n${line(2)}\nnot json\n\n`);
    expect((await recoverTranscript(fs, P, logger)).lastSeq).toBe(2);
    fs.files.set(P, "");
    expect(await recoverTranscript(fs, P, logger)).toEqual({ lastSeq: 0, bytes: 0 });
    expect(await recoverTranscript(fs, "/missing", logger)).toEqual({ lastSeq: 0, bytes: 0 });
  });
});
