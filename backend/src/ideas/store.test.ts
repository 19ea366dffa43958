import { ideaMetaSchema, type TranscriptEvent } from "@catalyst/shared";
import { readAll } from "./read-all.test-helper.js";
import { appendFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../clock.js";
import { nanoIds, silentLogger } from "../deps.js";
import { createNodeFs, type FsPort } from "../fs/fs-port.js";
import { createIdeaStore, PAGE_MAX_BYTES, removeCrashLeftovers } from "./store.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "catalyst-store-"));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const storeOver = (fs: FsPort = createNodeFs()) =>
  createIdeaStore({ fs, dataDir, clock: systemClock, ids: nanoIds, logger: silentLogger });

const note = (message: string): TranscriptEvent => ({
  type: "notice",
  level: "info",
  kind: "test",
  message,
});

/** The real file system, except that the chosen step "crashes": it does half its work and throws. */
function crashingFs(
  step: "writeFileDurably" | "rename" | "appendFile",
): FsPort & { armed: boolean } {
  const real = createNodeFs();
  const fs = {
    ...real,
    armed: false,
    async writeFileDurably(path: string, data: string) {
      if (fs.armed && step === "writeFileDurably") {
        await real.writeFileDurably(path, data.slice(0, Math.floor(data.length / 2)));
        throw new Error("crash during write");
      }
      return real.writeFileDurably(path, data);
    },
    async rename(from: string, to: string) {
      if (fs.armed && step === "rename") throw new Error("crash before rename");
      return real.rename(from, to);
    },
    // A crashed process cleans nothing up.
    async rm(path: string) {
      if (fs.armed) throw new Error("crashed");
      return real.rm(path);
    },
    async appendFile(path: string, data: string) {
      if (fs.armed && step === "appendFile") {
        await real.appendFile(path, data.slice(0, Math.floor(data.length / 2)));
        throw new Error("crash during append");
      }
      return real.appendFile(path, data);
    },
  };
  return fs;
}

describe("idea store", () => {
  it.each(["writeFileDurably", "rename"] as const)(
    "keeps the previous meta.json whole when a crash hits %s, and cleans up after restart",
    async (step) => {
      const fs = crashingFs(step);
      const store = storeOver(fs);
      const meta = await store.create({ title: "before", description: "" });
      fs.armed = true;
      await expect(store.update(meta.id, (m) => ({ ...m, title: "after" }))).rejects.toThrow(
        /crash/,
      );
      const onDisk = ideaMetaSchema.parse(
        JSON.parse(await readFile(join(dataDir, "ideas", meta.id, "meta.json"), "utf8")),
      );
      expect(onDisk.title).toBe("before");

      // "Restart": a new store over the same folder.
      expect(await removeCrashLeftovers(createNodeFs(), dataDir)).toBe(
        step === "writeFileDurably" || step === "rename" ? 1 : 0,
      );
      expect(await readdir(join(dataDir, "ideas", meta.id))).toEqual(["meta.json"]);
      const again = storeOver();
      expect((await again.get(meta.id)).title).toBe("before");
      expect((await again.update(meta.id, (m) => ({ ...m, title: "after" }))).title).toBe("after");
    },
  );

  it("serializes simultaneous updates of one idea: none is lost", async () => {
    const store = storeOver();
    const meta = await store.create({ title: "count", description: "" });
    await Promise.all(
      Array.from({ length: 25 }, () => store.update(meta.id, (m) => ({ ...m, runs: m.runs + 1 }))),
    );
    expect((await store.get(meta.id)).runs).toBe(25);
  });

  it("numbers transcript entries 1, 2, 3... in append order, also when appended at once", async () => {
    const store = storeOver();
    const meta = await store.create({ title: "t", description: "" });
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.append(meta.id, null, note(`n${i}`))),
    );
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const read = await readAll(store, meta.id, 45);
    expect(read.map((e) => e.event.type === "notice" && e.event.message)).toEqual([
      "n45",
      "n46",
      "n47",
      "n48",
      "n49",
    ]);
    expect((await store.get(meta.id)).lastSeq).toBe(50);
  });

  it("after a crash mid-append, cuts the torn line and goes on from the last whole entry", async () => {
    const fs = crashingFs("appendFile");
    const store = storeOver(fs);
    const meta = await store.create({ title: "t", description: "" });
    await store.append(meta.id, null, note("one"));
    await store.append(meta.id, null, note("two"));
    fs.armed = true;
    await expect(store.append(meta.id, null, note("three"))).rejects.toThrow(/crash/);

    const again = storeOver();
    expect((await again.get(meta.id)).lastSeq).toBe(2);
    const next = await again.append(meta.id, null, note("three again"));
    expect(next.seq).toBe(3);
    const all = await readAll(again, meta.id, 0);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("keeps a run event's src (its place in the output files) in the event's own line, and reads it back", async () => {
    const fs = crashingFs("appendFile");
    const store = storeOver(fs);
    const meta = await store.create({ title: "t", description: "" });
    const src = { stream: "out" as const, line: 1234, index: 2 };
    const written = await store.append(meta.id, "r1", note("decoded"), src);
    await store.append(meta.id, "r1", note("made by the server"));
    expect(written.src).toEqual(src);
    // A crash mid-write takes the entry and its src together: never one without the other.
    fs.armed = true;
    const torn = { stream: "err" as const, line: 99, index: 0 };
    await expect(store.append(meta.id, "r1", note("torn"), torn)).rejects.toThrow(/crash/);

    const lines = (await readFile(join(dataDir, "ideas", meta.id, "events.ndjson"), "utf8"))
      .split("\n")
      .slice(0, -1); // whole lines only: the torn one has no newline
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\{"seq":1,.*"src":\{"stream":"out","line":1234,"index":2\}\}$/);
    const again = storeOver();
    const all = await readAll(again, meta.id, 0);
    expect(all.map((e) => e.src ?? null)).toEqual([src, null]);
    const page = await again.readPage(meta.id, 0, 10);
    expect(page.entries[0]?.src).toEqual(src);
  });

  it("skips a corrupt transcript line instead of failing the whole history", async () => {
    const store = storeOver();
    const meta = await store.create({ title: "t", description: "" });
    await store.append(meta.id, null, note("one"));
    await appendFile(join(dataDir, "ideas", meta.id, "events.ndjson"), '{"seq": "not a number"}\n');
    await store.append(meta.id, null, note("two"));
    expect((await readAll(storeOver(), meta.id, 0)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it("reports an idea whose meta.json is not valid as an error, and leaves it out of the list", async () => {
    const store = storeOver();
    const good = await store.create({ title: "good", description: "" });
    const bad = await store.create({ title: "bad", description: "" });
    await appendFile(join(dataDir, "ideas", bad.id, "meta.json"), "garbage");
    await expect(store.get(bad.id)).rejects.toThrow(/unreadable/);
    expect((await store.list()).map((m) => m.id)).toEqual([good.id]);
  });

  it("never turns an id that is not a nanoid into a path", async () => {
    const store = storeOver();
    for (const id of ["../../etc/passwd", "..", "a/b", "x".repeat(21) + "/"]) {
      await expect(store.get(id)).rejects.toThrow(/no such idea/);
      await expect(store.append(id, null, note("x"))).rejects.toThrow(/no such idea/);
    }
  });

  it("after a failed append (disk full mid-write), the next append in the same process starts on a clean line", async () => {
    const fs = crashingFs("appendFile");
    const store = storeOver(fs);
    const meta = await store.create({ title: "t", description: "" });
    await store.append(meta.id, null, note("one"));
    fs.armed = true;
    await expect(store.append(meta.id, null, note("lost"))).rejects.toThrow(/crash/);
    fs.armed = false;
    const next = await store.append(meta.id, null, note("two"));
    expect(next.seq).toBe(2);
    const all = await readAll(store, meta.id, 0);
    expect(all.map((e) => [e.seq, e.event.type === "notice" && e.event.message])).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
  });

  it("reads a transcript without holding up appends, and leaves out a line still being written", async () => {
    const real = createNodeFs();
    let holdReads = false;
    let release = () => undefined as void;
    let held = () => undefined as void;
    const readHeld = new Promise<void>((resolve) => (held = resolve));
    const fs: FsPort = {
      ...real,
      async readBytes(path, offset, length) {
        const bytes = await real.readBytes(path, offset, length);
        if (holdReads && path.endsWith("events.ndjson") && bytes !== null) {
          // The read saw the file mid-append: a whole line and the first half of the next.
          await new Promise<void>((resolve) => {
            release = resolve;
            held();
          });
          return Buffer.concat([bytes, Buffer.from('{"seq":2,"ts":"x","ru')]);
        }
        return bytes;
      },
    };
    const store = storeOver(fs);
    const meta = await store.create({ title: "t", description: "" });
    await store.append(meta.id, null, note("one"));
    holdReads = true;
    const read = readAll(store, meta.id, 0);
    await readHeld;
    holdReads = false;
    // The read is still going on: an append must not wait for it.
    expect((await store.append(meta.id, null, note("two"))).seq).toBe(2);
    release();
    expect((await read).map((e) => e.seq)).toEqual([1]);
  });

  it("replays `after` a seq by reading only the end of a long transcript, with multi-byte text, also after a restart", async () => {
    const real = createNodeFs();
    let bytesRead = 0;
    const fs: FsPort = {
      ...real,
      readBytes: async (path, offset, length) => {
        const got = await real.readBytes(path, offset, length);
        if (path.endsWith("events.ndjson")) bytesRead += got?.length ?? 0;
        return got;
      },
    };
    const store = storeOver(fs);
    const meta = await store.create({ title: "t", description: "" });
    const padding = "x".repeat(2000);
    for (let i = 1; i <= 1000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          store.append(meta.id, null, note(`é${i + j} 😀 ${padding}`)),
        ),
      );
    }
    const size = (await real.size(join(dataDir, "ideas", meta.id, "events.ndjson"))) ?? 0;
    const texts = (entries: { event: TranscriptEvent }[]) =>
      entries.map((e) => (e.event.type === "notice" ? e.event.message.split(" ")[0] : ""));
    const expected = Array.from({ length: 100 }, (_, i) => `é${i + 901}`);
    for (const reader of [store, storeOver(fs)]) {
      bytesRead = 0;
      expect(texts(await readAll(reader, meta.id, 900))).toEqual(expected);
      // A binary search and the last 100 lines: a small part of the 2 MB file.
      expect(bytesRead).toBeLessThan(size / 3);
      // Every boundary: the entry right after each seq comes back first.
      for (const after of [0, 1, 255, 256, 257, 511, 512, 767, 768, 998, 999]) {
        const got = await readAll(reader, meta.id, after);
        expect(got[0]?.seq).toBe(after + 1);
        expect(got.at(-1)?.seq).toBe(1000);
      }
      expect(await readAll(reader, meta.id, 1000)).toEqual([]);
    }
  });

  it("after a restart, lists, opens and deletes an idea reading only the end of its transcript", async () => {
    const store = storeOver();
    const meta = await store.create({ title: "long", description: "" });
    const padding = "y".repeat(4000);
    for (let i = 0; i < 40; i++) {
      await Promise.all(
        Array.from({ length: 50 }, () => store.append(meta.id, null, note(padding))),
      );
    }
    const real = createNodeFs();
    let bytesRead = 0;
    const counting: FsPort = {
      ...real,
      readFile: async (path) => {
        const text = await real.readFile(path);
        bytesRead += text?.length ?? 0;
        return text;
      },
      readBytes: async (path, offset, length) => {
        const got = await real.readBytes(path, offset, length);
        bytesRead += got?.length ?? 0;
        return got;
      },
    };
    const again = storeOver(counting);
    expect((await again.list()).map((m) => [m.id, m.lastSeq])).toEqual([[meta.id, 2000]]);
    expect((await again.get(meta.id)).lastSeq).toBe(2000);
    expect(bytesRead).toBeLessThan(200_000); // the transcript is 8 MB
    await again.remove(meta.id);
    expect(await again.list()).toEqual([]);
  });

  it("pages the history: at most `limit` entries, and never much more than PAGE_MAX_BYTES, with nextAfter", async () => {
    const store = storeOver();
    const meta = await store.create({ title: "t", description: "" });
    for (let i = 1; i <= 30; i++) await store.append(meta.id, null, note(`${i}`));
    const first = await store.readPage(meta.id, 0, 12);
    expect(first.entries.map((e) => e.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(first.nextAfter).toBe(12);
    const last = await store.readPage(meta.id, 24, 12);
    expect(last.entries.map((e) => e.seq)).toEqual([25, 26, 27, 28, 29, 30]);
    expect(last.nextAfter).toBeNull();
    const big = "z".repeat(PAGE_MAX_BYTES / 3);
    for (let i = 0; i < 4; i++) await store.append(meta.id, null, note(big));
    const heavy = await store.readPage(meta.id, 30, 1000);
    expect(heavy.entries.map((e) => e.seq)).toEqual([31, 32]);
    expect(heavy.nextAfter).toBe(32);
  });
});
