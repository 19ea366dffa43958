// One run of the CLI started by this server: launch it detached on the target (launch.ts), then
// supervise it (supervise.ts) like any run this server follows.
import { runStarted } from "@catalyst/shared";
import { ExecError, type Executor } from "../exec/executor.js";
import type { Clock } from "../clock.js";
import { launchRun, type LaunchSettings } from "./launch.js";
import type { RunScripts } from "./run-scripts.js";
import type { RunSpec } from "./runner.js";
import { firstLine } from "./run-notices.js";
import { supervise } from "./supervise.js";
import type { StartedRun, SuperviseSettings } from "./supervisor-port.js";

export type { StartedRun } from "./supervisor-port.js";

export interface RunSettings extends LaunchSettings, SuperviseSettings {
  /** How long the target's login shell may take to report its PATH (30 s by default). */
  loginShellTimeoutS?: number;
}

export interface RunContext extends RunSettings {
  executor: Executor;
  clock: Clock;
  scripts: RunScripts;
  /** The target's login PATH, cached across runs (asking the login shell can take a second). */
  loginPath: { get(): string | null; set(path: string): void; forget(): void };
  /** The connection dropped before the run's leftovers could be swept: do it once it is back. */
  oweSweep(runId: string, pgid: number | null): void;
}

const FROM_START = { out: { offset: 0, skip: 0 }, err: { offset: 0, skip: 0 } };

export function startRun(ctx: RunContext, spec: RunSpec): StartedRun {
  const startedAt = ctx.clock.now();
  return supervise(
    ctx,
    { ...spec, startedAt },
    FROM_START,
    async (port) => {
      port.queue.push(
        runStarted({
          runId: spec.runId,
          mode: spec.mode,
          prompt: spec.prompt,
          resumeSessionId: spec.resumeSessionId,
          target: ctx.executor.target,
          startedAt: new Date(startedAt).toISOString(),
        }),
      );
      port.control.sendUser(spec.prompt);
      let channelUp = false;
      try {
        const launch = await launchRun(ctx, spec, {
          started(c) {
            channelUp = true;
            port.started(c);
          },
          relay: (c) => port.relay(c),
          processGroup: (g) => port.processGroup(g),
          stderr: (events) => port.pump.emitUnsourced(events),
          internalError: (err) => port.internalError(err),
        });
        if (launch.kind === "launched") return { kind: "running", status: null };
        const { exit, noCli } = launch;
        if (exit.lost) port.owe();
        else await port.sweep();
        return { kind: "ended", exit, noCli };
      } catch (err) {
        // Once a process exists, a throw is a bug of ours: the supervisor kills it and ends failed.
        if (channelUp) throw err;
        // Cancelled while connecting: what the person asked for happened, whatever the link did.
        if (port.stop === "cancel")
          return {
            kind: "refused",
            outcome: "cancelled",
            exit: null,
            message: "Stopped on request.",
          };
        const message =
          err instanceof ExecError ? err.message : `Cannot start the run: ${firstLine(err)}`;
        return { kind: "refused", outcome: "failed", exit: null, message };
      }
    },
    { launching: true },
  );
}
