// The local PTY adapter: node-pty forks `/bin/sh -c` on a new pseudo-terminal, in its own session.
import pty from "node-pty";
import { ExecError, type ExitInfo, type PtyChild, type PtyOptions } from "./executor.js";
import {
  makePtyOutput,
  markedPtyScript,
  newPtyId,
  ptyStopScript,
  settleWithin,
  signalName,
} from "./pty-session.js";

export interface LocalPtyDeps {
  shell: string;
  env: NodeJS.ProcessEnv;
  /** Runs a side command (the local executor's `run`), for the stop. */
  run(script: string): Promise<unknown>;
}

/** How long a stop waits for the program to report its end. */
const STOP_WAIT_MS = 5000;

export async function startLocalPty(
  deps: LocalPtyDeps,
  script: string,
  opts: PtyOptions,
): Promise<PtyChild> {
  const ptyId = newPtyId();
  let proc: pty.IPty;
  try {
    proc = pty.spawn(deps.shell, ["-c", markedPtyScript(ptyId, script)], {
      name: opts.term ?? "xterm-256color",
      cols: opts.cols,
      rows: opts.rows,
      env: { ...deps.env, TERM: opts.term ?? "xterm-256color" },
      // Bytes, not strings: a UTF-8 character split across two reads stays whole for the reader.
      encoding: null,
    });
  } catch (err) {
    throw new ExecError("unreachable", `Cannot start ${deps.shell} on a terminal: ${String(err)}`);
  }
  const { output, push } = makePtyOutput(proc);
  // With `encoding: null` node-pty hands over Buffers; its typings say string.
  proc.onData((data: string | Buffer) => push(typeof data === "string" ? Buffer.from(data) : data));
  let exited = false;
  const exit = new Promise<ExitInfo>((resolve) =>
    proc.onExit(({ exitCode, signal }) => {
      exited = true;
      output.end();
      resolve({ code: signal ? null : exitCode, signal: signalName(signal), lost: false });
    }),
  );
  return {
    output,
    exit,
    write(data) {
      if (!exited) proc.write(data);
    },
    resize({ cols, rows }) {
      if (!exited) proc.resize(cols, rows);
    },
    async stop() {
      await deps.run(ptyStopScript(ptyId)).catch(() => {});
      // The leader is in the session the script ended; this only matters if that script failed.
      if (!exited) proc.kill("SIGKILL");
      await settleWithin(exit, STOP_WAIT_MS);
    },
  };
}
