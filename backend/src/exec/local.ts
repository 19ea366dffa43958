// The local Executor adapter: `/bin/sh -c` via child_process, each run in its own process group.
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  ExecError,
  type ExecChild,
  type Executor,
  type ExitInfo,
  type SideResult,
} from "./executor.js";
import { collect } from "./side-result.js";

export function createLocalExecutor(opts: { env?: NodeJS.ProcessEnv } = {}): Executor {
  const env = opts.env ?? process.env;
  return {
    target: "local",
    hostLabel: "this machine",
    async start(script) {
      // detached: setsid(), so sh leads a new session and process group whose id is its pid.
      const child = spawn("/bin/sh", ["-c", script], { detached: true, env, stdio: "pipe" });
      try {
        await once(child, "spawn");
      } catch (err) {
        throw new ExecError("unreachable", `Cannot start /bin/sh: ${String(err)}`);
      }
      child.stdin.on("error", () => {
        // EPIPE when the process exits before reading its whole prompt: its exit says why.
      });
      const exit = new Promise<ExitInfo>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal, lost: false })),
      );
      const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
      const handle: ExecChild = {
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        exit,
        closed,
        detach() {
          child.stdin.destroy();
          child.stdout.destroy();
          child.stderr.destroy();
        },
      };
      return handle;
    },
    async run(script, runOpts = {}): Promise<SideResult> {
      const child = spawn("/bin/sh", ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
      return collect(
        child.stdout,
        child.stderr,
        runOpts.timeoutMs ?? 15_000,
        () => child.kill("SIGKILL"),
        new Promise((resolve) => child.once("close", (code) => resolve(code))),
      );
    },
    async close() {},
  };
}
