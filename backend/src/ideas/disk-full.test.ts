// A full disk (ENOSPC on cue from the file layer): said as "disk full", nothing lost silently,
// nothing half-written left behind.
import { apiErrorSchema, ideaMetaSchema, type TranscriptEntry } from "@catalyst/shared";
import { mkdir, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";
import { FakeRunner } from "../../test/server-fake-runner.js";
import { createNodeFs, type FsPort } from "../fs/fs-port.js";
import { readAll } from "./read-all.test-helper.js";
import { removeCrashLeftovers } from "./store.js";

const enospc = () =>
  Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });

/** The real file system, except that while `full` says so, writes fail as on a full disk. */
function fullDiskFs() {
  const real = createNodeFs();
  const ctl = { full: (_path: string, _bytes: number) => false };
  const fs: FsPort = {
    ...real,
    async writeFileDurably(path, data) {
      if (ctl.full(path, data.length)) {
        // A real full disk: the file is created, then the write fails part-way.
        await real.writeFileDurably(path, data.slice(0, 10));
        throw enospc();
      }
      return real.writeFileDurably(path, data);
    },
    async appendFile(path, data) {
      if (ctl.full(path, data.length)) {
        await real.appendFile(path, data.slice(0, Math.floor(data.length / 3)));
        throw enospc();
      }
      return real.appendFile(path, data);
    },
  };
  return { fs, ctl };
}

let h: Harness;
afterEach(async () => {
  await h.cleanup();
});

async function filesUnder(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe("a full disk", () => {
  it("create and rename answer 507 disk_full with a message, and leave no temp file or empty idea folder", async () => {
    const { fs, ctl } = fullDiskFs();
    h = await makeHarness({ fs });
    const kept = await h.json("/api/ideas", "POST", { title: "kept" });
    const { id } = ideaMetaSchema.parse(await kept.json());
    const before = await filesUnder(join(h.dataDir, "ideas"));
    ctl.full = () => true;
    const created = await h.json("/api/ideas", "POST", { title: "new" });
    expect(created.status).toBe(507);
    const err = apiErrorSchema.parse(await created.json()).error;
    expect(err.code).toBe("disk_full");
    expect(err.message).toMatch(/disk is full/);
    const renamed = await h.json(`/api/ideas/${id}`, "PATCH", { title: "renamed" });
    expect(renamed.status).toBe(507);
    expect(await filesUnder(join(h.dataDir, "ideas"))).toEqual(before);
    ctl.full = () => false;
    expect(ideaMetaSchema.parse(await (await h.api(`/api/ideas/${id}`)).json()).title).toBe("kept");
  });

  it("POST /chat answers 507 when the run cannot even be recorded, and the idea is free again", async () => {
    const { fs, ctl } = fullDiskFs();
    const runner = new FakeRunner((run) => run.started().text("hi").result(0.01).finish());
    h = await makeHarness({ fs, runner });
    const { id } = ideaMetaSchema.parse(
      await (await h.json("/api/ideas", "POST", { title: "t" })).json(),
    );
    ctl.full = () => true;
    const chat = await h.json(`/api/ideas/${id}/chat`, "POST", { message: "hello" });
    expect(chat.status).toBe(507);
    expect(apiErrorSchema.parse(await chat.json()).error.code).toBe("disk_full");
    expect(runner.runs).toHaveLength(0);
    ctl.full = () => false;
    const again = await h.json(`/api/ideas/${id}/chat`, "POST", { message: "hello" });
    expect(again.status).toBe(202);
  });

  it("a run whose event could not be written is stopped and ends failed, saying why, never completed", async () => {
    const { fs, ctl } = fullDiskFs();
    const runner = new FakeRunner();
    h = await makeHarness({ fs, runner });
    const { id } = ideaMetaSchema.parse(
      await (await h.json("/api/ideas", "POST", { title: "t" })).json(),
    );
    expect((await h.json(`/api/ideas/${id}/chat`, "POST", { message: "go" })).status).toBe(202);
    const run = await runner.nextRun();
    run.started();
    // Only the 300 KB tool result does not fit.
    ctl.full = (path, bytes) => path.endsWith("events.ndjson") && bytes > 200_000;
    run.emit({
      type: "tool_result",
      parentToolUseId: null,
      toolUseId: "t1",
      content: "x".repeat(300_000),
      isError: false,
    });
    await expect.poll(() => run.cancelCalls).toBe(1);
    await h.catalyst.runs.whenIdle();
    const entries: TranscriptEntry[] = await readAll(h.catalyst.store, id);
    const finished = entries.map((e) => e.event).find((e) => e.type === "run_finished");
    expect(finished).toMatchObject({ type: "run_finished", outcome: "failed" });
    expect(finished?.type === "run_finished" && finished.message).toMatch(/disk is full/);
    expect(entries.map((e) => e.event.type)).not.toContain("tool_result");
    // The seqs stay whole: the torn line was cut before the next append.
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  });

  it("a permission request that could not be written stops the run: nobody could see it to answer", async () => {
    const { fs, ctl } = fullDiskFs();
    const runner = new FakeRunner();
    h = await makeHarness({ fs, runner });
    const { id } = ideaMetaSchema.parse(
      await (await h.json("/api/ideas", "POST", { title: "t" })).json(),
    );
    expect((await h.json(`/api/ideas/${id}/build`, "POST", {})).status).toBe(202);
    const run = await runner.nextRun();
    run.started();
    await expect
      .poll(async () => (await readAll(h.catalyst.store, id)).map((e) => e.event.type))
      .toContain("run_started");
    // Only the request's line fails: the fake run ends at once on cancel, and its end must have
    // room to say how it ended (a disk still full then loses it, which is another test's case).
    let unwritable = 1;
    ctl.full = (path, bytes) => path.endsWith("events.ndjson") && bytes > 0 && unwritable-- > 0;
    run.permissionRequest("unseen");
    await expect.poll(() => run.cancelCalls).toBe(1);
    ctl.full = () => false;
    await h.catalyst.runs.whenIdle();
    const events = (await readAll(h.catalyst.store, id)).map((e) => e.event);
    expect(events.find((e) => e.type === "run_finished")).toMatchObject({ outcome: "failed" });
  });

  it("start-up removes idea folders a full disk left empty", async () => {
    h = await makeHarness();
    const empty = join(h.dataDir, "ideas", "abcdefghijklmnopqrstu");
    await mkdir(empty, { recursive: true });
    expect(await removeCrashLeftovers(createNodeFs(), h.dataDir)).toBe(1);
    expect(await readdir(join(h.dataDir, "ideas"))).toEqual([]);
  });
});
