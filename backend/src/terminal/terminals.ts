// Terminals: a login shell on a PTY in the idea's project folder on the target. Each outlives its
// socket for a short grace period (a reload reattaches and gets the recent output back), is ended
// with everything it started when closed, and there are at most `max` at once.
import { StringDecoder } from "node:string_decoder";
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Logger } from "../deps.js";
import { ExecError, type PtyChild, type PtySize } from "../exec/executor.js";
import { enterProjectLines, type ProjectTarget } from "../files/project-target.js";
import { AppError } from "../http/app-error.js";

/** Where a terminal's output goes: the socket attached to it now. */
export interface TerminalSink {
  /** Returns false when the reader is behind: the terminal pauses until `resume()`. */
  output(data: string): boolean;
  exit(code: number | null): void;
  /** Another socket took the terminal over, or the terminal is gone. */
  close(reason: string): void;
}

export interface Terminal {
  readonly id: string;
  readonly ideaId: string;
  /** Connects a socket; replays the recent output into it first. The previous socket is closed. */
  attach(sink: TerminalSink): void;
  /** The socket went away without closing the terminal: keep it for the grace period. */
  detach(sink: TerminalSink): void;
  input(data: string): void;
  resize(size: PtySize): void;
  resume(): void;
  /** Ends the shell and everything it started. */
  close(): Promise<void>;
}

export interface Terminals {
  /** A new terminal, or the one `reattachId` names if it is still there (and of this idea). */
  open(
    ideaId: string,
    size: PtySize,
    reattachId: string | null,
  ): Promise<{ terminal: Terminal; reattached: boolean }>;
  count(): number;
  closeAll(): Promise<void>;
}

export interface TerminalOptions {
  /** Terminals open at once, over all ideas. */
  max: number;
  /** How long a terminal without a socket lives on (a reload). */
  graceMs: number;
  /** Characters of recent output kept for a reattaching socket. */
  backlogChars: number;
  /**
   * What runs in the project folder; a login shell, so PATH is the user's. `$SHELL` is unset when
   * the server runs without one (a service, CI): the account's shell then comes from passwd.
   */
  shell: string;
}

export const defaultTerminalOptions: TerminalOptions = {
  max: 8,
  graceMs: 60_000,
  backlogChars: 64 * 1024,
  shell:
    's=${SHELL:-$(getent passwd "$(id -un)" 2>/dev/null | cut -d: -f7)}; exec "${s:-/bin/sh}" -l',
};

export function createTerminals(
  deps: { target: ProjectTarget; clock: Clock; logger: Logger },
  options: Partial<TerminalOptions> = {},
): Terminals {
  const opts = { ...defaultTerminalOptions, ...options };
  const live = new Map<string, Terminal>();
  let opening = 0;
  /** Set by closeAll (shutdown): nothing opens after it, and what was starting is ended. */
  let shutDown = false;
  const shuttingDown = () =>
    new AppError("unavailable", "the server is shutting down; open the terminal again later");

  const start = async (ideaId: string, size: PtySize): Promise<Terminal> => {
    let child: PtyChild;
    try {
      child = await deps.target.executor.startPty(
        [...enterProjectLines(deps.target, ideaId), opts.shell].join("\n"),
        size,
      );
    } catch (err) {
      if (err instanceof ExecError) throw new AppError("unavailable", err.message);
      throw err;
    }
    const id = randomUUID();
    const decoder = new StringDecoder("utf8");
    let backlog = "";
    let sink: TerminalSink | null = null;
    let cancelGrace: (() => void) | null = null;

    const keep = (data: string) => {
      backlog += data;
      if (backlog.length > opts.backlogChars) backlog = backlog.slice(-opts.backlogChars);
    };
    child.output.on("data", (chunk: Buffer) => {
      const data = decoder.write(chunk);
      if (data === "") return;
      keep(data);
      if (sink && !sink.output(data)) child.output.pause();
    });

    const terminal: Terminal = {
      id,
      ideaId,
      attach(next) {
        cancelGrace?.();
        cancelGrace = null;
        const previous = sink;
        sink = next;
        previous?.close("the terminal was opened elsewhere");
        if (backlog !== "") next.output(backlog);
        child.output.resume();
      },
      detach(gone) {
        if (sink !== gone) return;
        sink = null;
        // No reader: output goes on into the backlog only.
        child.output.resume();
        cancelGrace = deps.clock.setTimer(opts.graceMs, () => void terminal.close());
      },
      input: (data) => child.write(data),
      resize: (s) => child.resize(s),
      resume: () => child.output.resume(),
      async close() {
        cancelGrace?.();
        live.delete(id);
        await child.stop();
      },
    };

    // Until a socket takes it: an upgrade can still fail after the shell started (ws refuses a bad
    // handshake without a word to us), and such a terminal must not live on unseen.
    cancelGrace = deps.clock.setTimer(opts.graceMs, () => void terminal.close());

    void child.exit.then((exit) => {
      cancelGrace?.();
      live.delete(id);
      const rest = decoder.end();
      if (rest !== "") sink?.output(rest);
      sink?.exit(exit.code);
      sink?.close("the shell ended");
      sink = null;
      // Whatever it left running goes with it, as when it is closed.
      void child.stop();
    });
    return terminal;
  };

  return {
    async open(ideaId, size, reattachId) {
      if (reattachId !== null) {
        const existing = live.get(reattachId);
        if (existing && existing.ideaId === ideaId) {
          existing.resize(size);
          return { terminal: existing, reattached: true };
        }
      }
      if (shutDown) throw shuttingDown();
      if (live.size + opening >= opts.max) {
        throw new AppError(
          "too_many_terminals",
          `${opts.max} terminals are open already; close one first`,
        );
      }
      opening++;
      try {
        const terminal = await start(ideaId, size);
        if (shutDown) {
          await terminal.close();
          throw shuttingDown();
        }
        live.set(terminal.id, terminal);
        deps.logger.info("terminal opened", { ideaId, terminalId: terminal.id });
        return { terminal, reattached: false };
      } finally {
        opening--;
      }
    },
    count: () => live.size,
    async closeAll() {
      shutDown = true;
      await Promise.all([...live.values()].map((t) => t.close()));
    },
  };
}
