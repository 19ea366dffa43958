// The real backend as its own process, for benchmarks that measure it from outside (RSS, latency):
// started on a free loopback port with the fake CLI (backend/test/server-process.ts).
import type { ChildProcess } from "node:child_process";
import { REPO, startServerProcess } from "@catalyst/backend/testing/server-process";

export interface BenchBackend {
  child: ChildProcess;
  url: string;
  pid: number;
}

/** Starts `backend/src/main.ts` with `env` on top of the defaults (loopback, port 0, fake CLI). */
export async function startBackend(opts: {
  appKey: string;
  dataDir: string;
  remoteRoot: string;
  env?: Record<string, string>;
}): Promise<BenchBackend> {
  const server = await startServerProcess({
    appKey: opts.appKey,
    dataDir: opts.dataDir,
    cwd: REPO,
    inheritEnv: true,
    // A benchmark's SIGTERM ends everything it started, runs too (a shutdown leaves them going
    // by default, for the next start).
    env: { REMOTE_ROOT: opts.remoteRoot, SHUTDOWN_CANCELS_RUNS: "1", ...opts.env },
  });
  return { child: server.child, url: server.url, pid: server.pid };
}
