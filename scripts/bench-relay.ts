// bench:relay: how long a line takes from the fake CLI writing it to a WebSocket viewer receiving it,
// for 1, 10 and 50 concurrent runs, and the backend's RSS; prints one JSON object.
//
// The backend runs as its own process (node --import tsx backend/src/main.ts) so its RSS is read from
// /proc/<pid>/status. fake-claude's `slow stamp=1` ends each line with its write time (epoch ms from
// performance.timeOrigin + now()); this process compares it with the same clock on receipt.
import { serverMessageSchema } from "@catalyst/shared";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { WebSocket } from "ws";
import { z } from "zod";

const REPO = fileURLToPath(new URL("..", import.meta.url));
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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] ?? NaN) * 1000) / 1000;
}

async function startBackend(root: string) {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "backend/src/main.ts")], {
    cwd: REPO,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      APP_KEY: KEY,
      DATA_DIR: join(root, "data"),
      REMOTE_ROOT: join(root, "remote"),
      CLAUDE_BIN: join(REPO, "scripts/fake-claude"),
      CLAUDE_ENV: `HOME=${join(root, "home")}`,
      MAX_CONCURRENT_RUNS: "64",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr.resume(); // JSON logs: not part of the figures
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the backend exited (${code}): ${out}`)));
  });
  return { child, url, pid: child.pid ?? 0 };
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

/** One viewer per run: subscribes, starts the run, collects latencies until run_finished. */
async function viewRun(url: string, latencies: number[], serverSide: number[]): Promise<void> {
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
        if (t) {
          latencies.push(received - Number(t));
          // The part before the transcript append (process pipe, decoder, runner); ts has ms precision.
          serverSide.push(Date.parse(msg.ts) - Number(t));
        }
      }
      if (e.type === "run_finished") {
        if (e.outcome !== "completed") reject(new Error(`run ${e.outcome}: ${e.message}`));
        resolve();
      }
    });
  });
  ws.send(JSON.stringify({ type: "subscribe", ideaId: id }));
  await call(url, `/api/ideas/${id}/chat`, {
    message: `@fake slow interval=${INTERVAL_MS} count=${LINES} stamp=1`,
  });
  await done;
  ws.close();
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), "catalyst-bench-relay-"));
  const backend = await startBackend(root);
  try {
    const rssBeforeMb = rssMb(backend.pid);
    await viewRun(backend.url, [], []); // warm-up: JIT, first process spawn
    const results = [];
    const rssDuringMb: Record<string, number> = {};
    for (const n of CONCURRENCY) {
      const latencies: number[] = [];
      const toAppend: number[] = [];
      let peak = rssMb(backend.pid);
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(backend.pid))), 50);
      await Promise.all(Array.from({ length: n }, () => viewRun(backend.url, latencies, toAppend)));
      clearInterval(sampler);
      rssDuringMb[String(n)] = peak;
      latencies.sort((a, b) => a - b);
      toAppend.sort((a, b) => a - b);
      results.push({
        concurrentRuns: n,
        lines: latencies.length,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        maxMs: percentile(latencies, 100),
        cliToAppendP50Ms: percentile(toAppend, 50),
        cliToAppendP99Ms: percentile(toAppend, 99),
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
