// main.ts as a process, stopped by SIGTERM with a run going: by default the run is left going (the
// log says so, the meta keeps it), and the next start over the same DATA_DIR follows it again to
// its real end, through the run service, once.
import { ideaMetaSchema, transcriptEntrySchema, type TranscriptEntry } from "@catalyst/shared";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { startServerProcess, type ServerProcess } from "./server-process.js";

const APP_KEY = "shutdown-test-key-0123456789";
let dir: string;
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.kill9();
  await rm(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess({
    appKey: APP_KEY,
    dataDir: join(dir, "data"),
    cwd: dir,
    env: { REMOTE_ROOT: join(dir, "remote"), CLAUDE_ENV: `HOME=${dir}` },
  });
  servers.push(server);
  return server;
}

async function transcript(id: string): Promise<TranscriptEntry[]> {
  const text = await readFile(join(dir, "data", "ideas", id, "events.ndjson"), "utf8");
  return text
    .trim()
    .split("\n")
    .map((l) => transcriptEntrySchema.parse(JSON.parse(l)));
}
async function meta(id: string) {
  const text = await readFile(join(dir, "data", "ideas", id, "meta.json"), "utf8");
  return ideaMetaSchema.parse(JSON.parse(text));
}

describe("SIGTERM with a run going", () => {
  it("leaves the run going and says so; the next start follows it to its real end, every line once", async () => {
    dir = await mkdtemp(join(tmpdir(), "catalyst-shutdown-"));
    const first = await start();
    const headers = { authorization: `Bearer ${APP_KEY}`, "content-type": "application/json" };
    const created = await fetch(`${first.url}/api/ideas`, {
      method: "POST",
      headers,
      body: JSON.stringify({ title: "long" }),
    });
    const { id } = z.object({ id: z.string() }).parse(await created.json());
    const chat = await fetch(`${first.url}/api/ideas/${id}/chat`, {
      method: "POST",
      headers,
      body: JSON.stringify({ message: "@fake slow interval=100 count=40" }),
    });
    const { runId } = z.object({ runId: z.string() }).parse(await chat.json());
    await expect
      .poll(async () => (await transcript(id)).map((e) => e.event.type), { timeout: 20_000 })
      .toContain("text_delta");
    expect(await first.terminate()).toBe(0);
    expect(first.output()).toMatch(/detached 1 run: /);
    expect((await meta(id)).activeRunId).toBe(runId);
    expect((await transcript(id)).map((e) => e.event.type)).not.toContain("run_finished");

    const second = await start();
    await expect.poll(async () => (await meta(id)).activeRunId, { timeout: 30_000 }).toBeNull();
    const events = (await transcript(id)).filter((e) => e.runId === runId).map((e) => e.event);
    const ends = events.filter((e) => e.type === "run_finished");
    expect(ends).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "notice", kind: "run_reattached" }),
    );
    // The run went on while no server was there: it is followed to its real end, every line once.
    expect(ends).toMatchObject([{ outcome: "completed" }]);
    const deltas = events.flatMap((e) => (e.type === "text_delta" ? [e.text] : []));
    const whole = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of 40.\n`).join("");
    expect(deltas.join("")).toBe(whole);
    expect(await second.terminate()).toBe(0);
    expect(second.output()).toMatch(/detached 0 runs: /);
  });
});
