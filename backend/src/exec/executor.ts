// The Executor port: run a shell script on the target (this machine or an SSH host) and stream it.
import type { Readable, Writable } from "node:stream";

export interface ExitInfo {
  code: number | null;
  signal: string | null;
  /** The link to the target dropped before the process reported how it ended. */
  lost: boolean;
}

export interface ExecChild {
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** The process ended (or the link dropped). Output may still be draining. */
  readonly exit: Promise<ExitInfo>;
  /** All output delivered and our end closed. */
  readonly closed: Promise<void>;
  /** Lets go of our end (pipes or channel). Does not stop the process: that is a group kill. */
  detach(): void;
}

/** The size of a terminal, in character cells. */
export interface PtySize {
  cols: number;
  rows: number;
}

export interface PtyOptions extends PtySize {
  /** TERM for the program ("xterm-256color" when not set). */
  term?: string;
}

/**
 * A program on a pseudo-terminal (an interactive shell, `claude auth login`). Its working folder
 * is the script's business (`cd` in it): over SSH a path may need the target's `$HOME`.
 */
export interface PtyChild {
  /** What the program writes to its terminal: stdout and stderr are one stream on a PTY. */
  readonly output: Readable;
  /** Keystrokes (bytes as a terminal sends them: "\r" for Enter, "\x03" for Ctrl-C). */
  write(data: string | Buffer): void;
  resize(size: PtySize): void;
  /** The program ended (or the link dropped). */
  readonly exit: Promise<ExitInfo>;
  /**
   * Ends the program and everything it started (its terminal session, and every process that
   * still carries its marker after leaving that session), then lets go of our end. Closing the
   * channel alone would leave a remote program running.
   */
  stop(): Promise<void>;
}

export interface SideResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Executor {
  /** "local" or "user@host:port". */
  readonly target: string;
  /** The machine, for messages: "this machine" or the SSH host name. */
  readonly hostLabel: string;
  /** Starts `/bin/sh -c <script>` as the leader of its own process group. */
  start(script: string): Promise<ExecChild>;
  /** Starts `/bin/sh -c <script>` on a new pseudo-terminal, leading its own session. */
  startPty(script: string, opts: PtyOptions): Promise<PtyChild>;
  /** Runs a short command on a separate channel (signals, sweeps, probes). */
  run(script: string, opts?: { timeoutMs?: number }): Promise<SideResult>;
  close(): Promise<void>;
}

export type ExecErrorKind = "unreachable" | "host_key" | "auth" | "config" | "timeout";

/** Why a command could not be started; `message` is a sentence a person understands. */
export class ExecError extends Error {
  constructor(
    readonly kind: ExecErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "ExecError";
  }
}
