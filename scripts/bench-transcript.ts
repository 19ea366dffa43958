// bench:transcript: the server's memory (RSS) while it serves a long transcript: start-up, a paged
// GET /events?after=0 followed to the end, and a WebSocket replay from seq 0; for a small transcript
// and a 500 MiB one, in the same run. Prints one JSON object; the ratios big/small are the figures.
//
// Memory must stay flat in the size of a transcript, so the big/small ratio should be near 1.
// Baseline (main before the streaming change, 8a4a480, this machine, 500 MiB = 106,800 lines):
// start-up 1,664 MB vs 114 MB small (14.7x); GET /events (one 500 MB page) peak 3,165 MB vs 122 MB
// (26x); WS replay peak 1,681 MB vs 132 MB (12.8x).
//
// The backend runs as its own process (node --import tsx backend/src/main.ts) so its RSS is read
// from /proc/<pid>/status. The transcripts are written to one temporary folder, removed at the end
// (also on Ctrl-C); BENCH_TRANSCRIPT_MB changes the big one's size.
import { serverMessageSchema } from "@catalyst/shared";
import { createWriteStream, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { z } from "zod";
import { startBackend, type BenchBackend } from "./bench-backend.js";

const KEY = "bench-transcript-key-0123456789";
const auth = { authorization: `Bearer ${KEY}` };
const BIG_MB = Number(process.env.BENCH_TRANSCRIPT_MB ?? 500);
const SMALL_MB = 2;
const PHASE_TIMEOUT_MS = 300_000;
const IDEA_ID = "benchTranscriptIdea01";

const round = (n: number) => Math.round(n * 10) / 10;

function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return m?.[1] ? round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN; // the process is gone (it crashed): the phase's error says why
  }
}

/** meta.json and an events.ndjson of about `mb` MiB: text events, and every 400th a 300 KB tool result. */
async function writeIdea(dataDir: string, mb: number): Promise<number> {
  const dir = join(dataDir, "ideas", IDEA_ID);
  await mkdir(dir, { recursive: true });
  const meta = {
    id: IDEA_ID,
    title: "a long project",
    description: "",
    status: "chatting",
    sessionId: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    totalCostUsd: 0,
    runs: 1,
    activeRunId: null,
  };
  await writeFile(join(dir, "meta.json"), JSON.stringify(meta));
  const out = createWriteStream(join(dir, "events.ndjson"));
  const target = mb * 1024 * 1024;
  const filler = "lorem ipsum dolor sit amet ".repeat(150); // ~4 KB
  const big = "x".repeat(300_000);
  let bytes = 0;
  let seq = 0;
  while (bytes < target) {
    seq++;
    const event =
      seq % 400 === 0
        ? { type: "tool_result", toolUseId: `t${seq}`, content: big, isError: false }
        : { type: "text", messageId: `m${seq}`, text: `${seq} ${filler}` };
    const line = `${JSON.stringify({ seq, ts: meta.createdAt, runId: "run1", event })}\n`;
    bytes += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return seq;
}

/** Runs `work` while sampling the server's RSS; the peak, and the error if the work failed. */
async function phase<T>(pid: number, work: () => Promise<T>) {
  let peak = procStatus(pid, "VmRSS");
  const sampler = setInterval(() => {
    const now = procStatus(pid, "VmRSS");
    if (now > peak) peak = now;
  }, 20);
  const started = performance.now();
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("timed out")), PHASE_TIMEOUT_MS).unref(),
    );
    const result = await Promise.race([work(), timeout]);
    return { peakRssMb: peak, seconds: round((performance.now() - started) / 1000), ...result };
  } catch (err) {
    return {
      peakRssMb: peak,
      seconds: round((performance.now() - started) / 1000),
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    clearInterval(sampler);
  }
}

const page = z.object({
  events: z.array(z.object({ seq: z.number() }).loose()),
  nextAfter: z.number().nullable().optional(),
});

/** GET /events?after=0 and every further page (`nextAfter`), counting events. */
async function getAll(url: string): Promise<{ events: number; pages: number }> {
  let after = 0;
  let events = 0;
  let pages = 0;
  for (;;) {
    const res = await fetch(`${url}/api/ideas/${IDEA_ID}/events?after=${after}`, {
      headers: auth,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`GET /events answered ${res.status}: ${text.slice(0, 200)}`);
    const body = page.parse(JSON.parse(text));
    pages++;
    events += body.events.length;
    if (body.nextAfter === undefined || body.nextAfter === null) return { events, pages };
    after = body.nextAfter;
  }
}

/** Subscribes from seq 0 and reads the replay up to `subscribed`. */
async function replay(url: string): Promise<{ events: number }> {
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/ws`, { headers: auth });
  try {
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return await new Promise((resolve, reject) => {
      let events = 0;
      ws.on("close", (code) => reject(new Error(`the socket closed (${code}) after ${events}`)));
      ws.on("message", (data) => {
        const msg = serverMessageSchema.parse(JSON.parse(String(data)));
        if (msg.type === "event") events++;
        if (msg.type === "error") reject(new Error(msg.message));
        if (msg.type === "subscribed") resolve({ events });
      });
      ws.send(JSON.stringify({ type: "subscribe", ideaId: IDEA_ID, after: 0 }));
    });
  } finally {
    ws.terminate();
  }
}

async function measure(root: string, name: string, mb: number) {
  const dataDir = join(root, name);
  const lines = await writeIdea(dataDir, mb);
  let backend: BenchBackend;
  try {
    backend = await startBackend({ appKey: KEY, dataDir, remoteRoot: join(root, "remote") });
  } catch (err) {
    return { transcriptMb: mb, lines, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    const startupRssMb = procStatus(backend.pid, "VmHWM");
    const get = await phase(backend.pid, () => getAll(backend.url));
    const ws = await phase(backend.pid, () => replay(backend.url));
    return {
      transcriptMb: mb,
      lines,
      startupRssMb,
      get,
      ws,
      hwmMb: procStatus(backend.pid, "VmHWM"),
    };
  } finally {
    backend.child.kill("SIGKILL");
    await new Promise((resolve) => backend.child.once("exit", resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "catalyst-bench-transcript-"));
  const cleanup = () => rm(root, { recursive: true, force: true });
  process.once("SIGINT", () => void cleanup().then(() => process.exit(130)));
  try {
    const small = await measure(root, "small", SMALL_MB);
    const big = await measure(root, "big", BIG_MB);
    const ratio = (b: number | undefined, s: number | undefined) =>
      b !== undefined && s !== undefined ? Math.round((b / s) * 100) / 100 : null;
    console.log(
      JSON.stringify(
        {
          bench: "transcript",
          what: "server RSS (MB) serving a transcript: start-up, GET /events paged through, WS replay",
          small,
          big,
          bigVsSmall: {
            startup: ratio(big.startupRssMb, small.startupRssMb),
            get: ratio(big.get?.peakRssMb, small.get?.peakRssMb),
            ws: ratio(big.ws?.peakRssMb, small.ws?.peakRssMb),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
