// bench:relay: how long a line takes from the fake CLI writing it to a WebSocket viewer receiving it,
// for 1, 10 and 50 concurrent runs, and the backend's RSS; prints one JSON object.
//
// Starting 50 CLI processes saturates 2 cores for seconds, which says nothing about the relay: each
// run first waits (longer for more runs), and only lines written after every run has started count.
//
// The backend runs as its own process (node --import tsx backend/src/main.ts) so its RSS is read from
// /proc/<pid>/status. fake-claude's `slow stamp=1` ends each line with its write time (epoch ms from
// performance.timeOrigin + now()); this process compares it with the same clock on receipt.
import { serverMessageSchema } from "@catalyst/shared";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import { z } from "zod";
import { startBackend } from "./bench-backend.js";

const KEY = "bench-relay-key-0123456789";
const LINES = 40;
const INTERVAL_MS = 25;
const CONCURRENCY = [1, 10, 50];
const auth = { authorization: `Bearer ${KEY}` };

const now = () => performance.timeOrigin + performance.now();

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m?.[1] ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid: number): number {
  // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? NaN) * 1000) / 1000;
}

async function call(url: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(url + path, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

interface Sample {
  /** When the CLI wrote the line, when the server appended it, when the viewer got it (epoch ms). */
  written: number;
  appended: number;
  received: number;
}

/** One viewer per run: subscribes, starts the run, collects samples until run_finished. */
async function viewRun(url: string, preDelayMs: number, samples: Sample[]): Promise<number> {
  let initAt = NaN;
  const { id } = z
    .object({ id: z.string() })
    .parse(await call(url, "/api/ideas", { title: "bench" }));
  const ws = new WebSocket(`${url.replace(/^http/, "ws")}/api/ws`, { headers: auth });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const done = new Promise<void>((resolve, reject) => {
    ws.on("message", (data) => {
      const received = now();
      const msg = serverMessageSchema.parse(JSON.parse(data.toString()));
      if (msg.type === "error") reject(new Error(msg.message));
      if (msg.type !== "event") return;
      const e = msg.event;
      if (e.type === "text") {
        const t = /t=(\d+(?:\.\d+)?)$/.exec(e.text)?.[1];
        // ts has ms precision: enough to split the figure at the append.
        if (t) samples.push({ written: Number(t), appended: Date.parse(msg.ts), received });
      }
      if (e.type === "init") initAt = received;
      if (e.type === "run_finished") {
        if (e.outcome !== "completed") reject(new Error(`run ${e.outcome}: ${e.message}`));
        resolve();
      }
    });
  });
  ws.send(JSON.stringify({ type: "subscribe", ideaId: id }));
  await call(url, `/api/ideas/${id}/chat`, {
    message: `@fake slow interval=${preDelayMs} count=1\n@fake slow interval=${INTERVAL_MS} count=${LINES} stamp=1`,
  });
  await done;
  ws.close();
  return initAt;
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "catalyst-bench-relay-"));
  const backend = await startBackend({
    appKey: KEY,
    dataDir: join(root, "data"),
    remoteRoot: join(root, "remote"),
    env: { CLAUDE_ENV: `HOME=${join(root, "home")}`, MAX_CONCURRENT_RUNS: "64" },
  });
  try {
    const rssBeforeMb = rssMb(backend.pid);
    await viewRun(backend.url, 0, []); // warm-up: JIT, first process spawn
    const results = [];
    const rssDuringMb: Record<string, number> = {};
    for (const n of CONCURRENCY) {
      const samples: Sample[] = [];
      let peak = rssMb(backend.pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(backend.pid))), 50);
      const preDelayMs = 500 + 150 * n;
      const cpuBefore = cpuSeconds(backend.pid);
      const wallBefore = now();
      const inits = await Promise.all(
        Array.from({ length: n }, () => viewRun(backend.url, preDelayMs, samples)),
      );
      clearInterval(sampler);
      rssDuringMb[String(n)] = peak;
      const backendCpuPercent = Math.round(
        ((cpuSeconds(backend.pid) - cpuBefore) / ((now() - wallBefore) / 1000)) * 100,
      );
      const allStarted = Math.max(...inits);
      const counted = samples.filter((x) => x.written >= allStarted);
      const latencies = counted.map((x) => x.received - x.written).sort((a, b) => a - b);
      const toAppend = counted.map((x) => x.appended - x.written).sort((a, b) => a - b);
      results.push({
        concurrentRuns: n,
        lines: latencies.length,
        linesBeforeAllStarted: samples.length - counted.length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: percentile(latencies, 100),
        cliToAppendP50Ms: percentile(toAppend, 50),
        cliToAppendP99Ms: percentile(toAppend, 99),
        backendCpuPercent,
      });
    }
    const base = results[0];
    console.log(
      JSON.stringify(
        {
          bench: "relay",
          what: "fake CLI writes a line -> ws client receives its event (ms, same machine clock)",
          linesPerRun: LINES,
          intervalMs: INTERVAL_MS,
          results: results.map((r) => ({
            ...r,
            p50VsOneRun: base ? Math.round((r.p50Ms / base.p50Ms) * 100) / 100 : null,
            p99VsOneRun: base ? Math.round((r.p99Ms / base.p99Ms) * 100) / 100 : null,
          })),
          backendRssMb: { before: rssBeforeMb, peakDuring: rssDuringMb, after: rssMb(backend.pid) },
        },
        null,
        2,
      ),
    );
  } finally {
    backend.child.kill("SIGTERM");
    await new Promise((resolve) => backend.child.once("exit", resolve));
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : String(err));
  process.exit(1);
});
