// The SSH PTY adapter: an exec channel with a pseudo-terminal; resize is the window-change request.
import type { ClientChannel, PseudoTtyOptions } from "ssh2";
import type { ExitInfo, PtyChild, PtyOptions } from "./executor.js";
import {
  makePtyOutput,
  markedPtyScript,
  newPtyId,
  ptyStopScript,
  settleWithin,
} from "./pty-session.js";
import { remoteCommand } from "./remote-command.js";

export interface SshPtyDeps {
  /** Opens an exec channel with a PTY on a pooled connection; the callback gives it back. */
  open(
    command: string,
    pty: PseudoTtyOptions,
  ): Promise<{ channel: ClientChannel; release(): void }>;
  /** Runs a side command on another channel, for the stop. */
  run(script: string): Promise<unknown>;
}

/** How long a stop waits for the program to report its end. */
const STOP_WAIT_MS = 5000;

export async function startSshPty(
  deps: SshPtyDeps,
  script: string,
  opts: PtyOptions,
): Promise<PtyChild> {
  const ptyId = newPtyId();
  const term = opts.term ?? "xterm-256color";
  const { channel, release } = await deps.open(remoteCommand(markedPtyScript(ptyId, script)), {
    cols: opts.cols,
    rows: opts.rows,
    term,
    // Pixel sizes are a hint few programs read; 0 says "unknown".
    width: 0,
    height: 0,
  });
  channel.on("error", () => {
    // Surfaces as a close without exit status.
  });
  const { output, push } = makePtyOutput(channel);
  channel.on("data", push);
  // On a PTY the server sends everything as data; drain stderr anyway so the window never fills.
  channel.stderr.on("data", push);
  let closed = false;
  const exit = new Promise<ExitInfo>((resolve) => {
    channel.once("exit", (code: number | null, signal?: string) =>
      resolve({
        code: code ?? null,
        signal: signal ? `SIG${signal.replace(/^SIG/, "")}` : null,
        lost: false,
      }),
    );
    channel.once("close", () => {
      closed = true;
      release();
      output.end();
      // A close without an exit status: the connection went away under us.
      resolve({ code: null, signal: null, lost: true });
    });
  });
  return {
    output,
    exit,
    write(data) {
      if (!closed) channel.write(data);
    },
    resize({ cols, rows }) {
      if (!closed) channel.setWindow(rows, cols, 0, 0);
    },
    async stop() {
      // Closing the channel does not stop the remote program (sshd may not even hang it up).
      await deps.run(ptyStopScript(ptyId)).catch(() => {});
      if (!closed) channel.close();
      await settleWithin(exit, STOP_WAIT_MS);
    },
  };
}
