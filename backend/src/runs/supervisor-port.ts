// How a run gets going before it is supervised (supervise.ts): launched by this server (run.ts)
// or attached to (attach.ts). Both get this port on the supervisor and say how it went.
import type { RunOutcome } from "@catalyst/shared";
import type { ExecChild, ExitInfo } from "../exec/executor.js";
import type { ControlSession } from "./control.js";
import type { EventQueue } from "./event-queue.js";
import type { StopReason } from "./outcome.js";
import type { OutputPump } from "./output-pump.js";
import type { RunStatus } from "./run-scripts.js";
import type { RunOutput } from "./runner.js";

/** How the run got going: launched here (maybe with its relay channel), or attached to. */
export type Begun =
  | { kind: "running"; status: RunStatus | null }
  | { kind: "ended"; exit: ExitInfo; noCli: boolean }
  | { kind: "refused"; outcome: RunOutcome; exit: null; message: string };

/** What run.ts and attach.ts use to get a run going before it is followed. */
export interface SupervisorPort {
  readonly queue: EventQueue<RunOutput>;
  readonly control: ControlSession;
  readonly pump: OutputPump;
  /** A process of the run exists from now on (a cancel must stop it): its launch channel, if ours. */
  started(launch?: ExecChild): void;
  /** This channel relays the run's input (the launch channel, after the env header). */
  relay(channel: ExecChild): void;
  internalError(err: unknown): void;
  processGroup(pgid: number): void;
  readonly stop: StopReason | null;
  status(): Promise<RunStatus | null>;
  sweep(): Promise<void>;
  /** The link dropped before the run's leftovers could be swept. */
  owe(): void;
}
