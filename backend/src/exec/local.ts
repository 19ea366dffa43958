// The local Executor adapter: `/bin/sh -c` via child_process, each run in its own process group;
// PTY programs through node-pty (local-pty.ts).
import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  ExecError,
  type ExecChild,
  type Executor,
  type ExitInfo,
  type SideResult,
} from "./executor.js";
import { startLocalPty } from "./local-pty.js";
import { collect } from "./side-result.js";

export function createLocalExecutor(
  opts: { env?: NodeJS.ProcessEnv; /** For tests: the POSIX shell. */ shell?: string } = {},
): Executor {
  const env = opts.env ?? process.env;
  const shell = opts.shell ?? "/bin/sh";
  const executor: Executor = {
    target: "local",
    hostLabel: "this machine",
    async start(script) {
      // detached: setsid(), so sh leads a new session and process group whose id is its pid.
      const child = spawn(shell, ["-c", script], { detached: true, env, stdio: "pipe" });
      try {
        await once(child, "spawn");
      } catch (err) {
        throw new ExecError("unreachable", `Cannot start ${shell}: ${String(err)}`);
      }
      // An 'error' without a listener would end the server; the exit tells what happened.
      child.on("error", () => {});
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
    startPty: (script, ptyOpts) =>
      startLocalPty({ shell, env, run: (s) => executor.run(s) }, script, ptyOpts),
    async run(script, runOpts = {}): Promise<SideResult> {
      const child = spawn(shell, ["-c", script], { env, stdio: ["ignore", "pipe", "pipe"] });
      return collect(
        child.stdout,
        child.stderr,
        runOpts.timeoutMs ?? 15_000,
        () => child.kill("SIGKILL"),
        new Promise((resolve, reject) => {
          // Without this listener a failed spawn (EAGAIN, EMFILE under load) ended the server.
          child.once("error", (err) =>
            reject(new ExecError("unreachable", `Cannot start ${shell}: ${err.message}`)),
          );
          child.once("close", (code) => resolve(code));
        }),
      );
    },
    async close() {},
  };
  return executor;
}
