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
