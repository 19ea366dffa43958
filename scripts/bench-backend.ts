// The real backend as its own process, for benchmarks that measure it from outside (RSS, latency):
// started on a free loopback port with the fake CLI, its URL read from its first output line.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("..", import.meta.url));

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
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO, "backend/src/main.ts")], {
    cwd: REPO,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      APP_KEY: opts.appKey,
      DATA_DIR: opts.dataDir,
      REMOTE_ROOT: opts.remoteRoot,
      CLAUDE_BIN: join(REPO, "scripts/fake-claude"),
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.resume(); // JSON logs: not part of the figures
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the backend exited (${code}): ${out}`)));
  });
  return { child, url, pid: child.pid ?? 0 };
}
