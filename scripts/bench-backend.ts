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
    env: { REMOTE_ROOT: opts.remoteRoot, ...opts.env },
  });
  return { child: server.child, url: server.url, pid: server.pid };
}
