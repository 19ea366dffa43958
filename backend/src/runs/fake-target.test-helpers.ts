// A run's folder on a fake target, for the supervisor's tests: fake scripts (recognisable text)
// that FakeExecutor serves from FakeRuns: a launch channel that relays input, follow channels
// that stream the output files from a byte offset, input channels, a status, a dropped link.
import { constants } from "node:os";
import { ideaIdSchema } from "@catalyst/shared";
import { z } from "zod";
import type { Clock } from "../clock.js";
import type { ExitInfo } from "../exec/executor.js";
import { EXEC_MARKER, PID_MARKER } from "./markers.js";
import { INPUT_ACK } from "./run-input.js";
import type { RunScripts, RunStatus } from "./run-scripts.js";
import type { FakeChild } from "./fakes.test-helpers.js";

export const FAKE_END_INPUT = "#END";

const statusSchema = z.object({
  folder: z.boolean(),
  pgid: z.number().nullable(),
  exit: z.number().nullable(),
  orphaned: z.boolean(),
  alive: z.boolean(),
  lastWriteMs: z.number().nullable(),
  nowMs: z.number().nullable(),
});

export const fakeScripts: RunScripts = {
  // Like the real one: only a valid idea id goes into a script.
  launch: (w) => `#launch ${w.runId} ${ideaIdSchema.parse(w.ideaId)}\n${JSON.stringify(w)}`,
  follow: (r, from) => `#follow ${r.runId} ${from.out} ${from.err}`,
  input: (r) => `#input ${r.runId}`,
  status: (r) => `#status ${r.runId}`,
  parseStatus: (stdout) => statusSchema.parse(JSON.parse(stdout)),
  heartbeat: (r) => `#heartbeat ${r.runId}`,
  cleanup: (_root, ideaId, keep) => `#cleanup ${ideaId} ${keep.join(",")}`,
  endInputLine: FAKE_END_INPUT,
};

/** What the test plays: the CLI behind a run's folder. Its API is the old piped child's. */
export class FakeRun {
  out = Buffer.alloc(0);
  err = Buffer.alloc(0);
  exitStatus: number | null = null;
  orphaned = false;
  folder = true;
  pgid: number | null = null;
  lastWriteMs: number | null = null;
  launched = false;
  /** Lines that reached the run's input: the launch channel's (env header first) and relays'. */
  readonly written: string[] = [];
  /** The end line arrived: the CLI's input is closed. */
  stdinEnded = false;
  /** The link is dying and nobody noticed yet: lines written now reach nobody. */
  linkDying = false;
  readonly followers = new Set<{ child: FakeChild }>();
  launch: FakeChild | null = null;

  constructor(
    readonly runId: string,
    private readonly clock: Clock | null,
  ) {}

  /** The CLI's stdout, appended to out.ndjson. */
  readonly stdout = { write: (s: string | Buffer) => this.append("out", Buffer.from(s)) };
  /**
   * Before the launch: the wrapper's stderr on the launch channel, where a pid marker launches
   * the run (the fake wrapper says the exec marker right after). After: err.log.
   */
  readonly stderr = {
    write: (s: string) => {
      let rest = s;
      while (!this.launched && rest.length > 0) {
        const nl = rest.indexOf("\n");
        const line = nl === -1 ? rest : rest.slice(0, nl + 1);
        rest = nl === -1 ? "" : rest.slice(nl + 1);
        this.launch?.stderr.write(line);
        if (line.startsWith(PID_MARKER)) this.markLaunched(Number(line.slice(PID_MARKER.length)));
      }
      if (rest.length > 0) this.append("err", Buffer.from(rest));
    },
  };

  markLaunched(pgid: number) {
    this.pgid = pgid;
    this.launched = true;
    this.launch?.stderr.write(`${EXEC_MARKER}\n`);
  }

  private append(stream: "out" | "err", bytes: Buffer) {
    this[stream] = Buffer.concat([this[stream], bytes]);
    this.lastWriteMs = this.clock?.now() ?? null;
    for (const f of this.followers) f.child[stream === "out" ? "stdout" : "stderr"].write(bytes);
  }

  /**
   * The CLI ended (`exit`'s code, or 128 + its signal): written like the target's `exit` file,
   * and followers end once they sent everything. Before the launch: the launch channel ends so.
   */
  end(exit: ExitInfo) {
    if (!this.launched) {
      this.launch?.end(exit);
      return;
    }
    const sig = exit.signal
      ? (constants.signals as Record<string, number>)[exit.signal]
      : undefined;
    this.exitStatus = exit.code ?? (sig !== undefined ? 128 + sig : 137);
    for (const f of [...this.followers]) {
      this.followers.delete(f);
      f.child.end({ code: 0, signal: null, lost: false });
    }
  }

  status(now: number | null): RunStatus {
    return {
      folder: this.folder,
      pgid: this.pgid,
      exit: this.exitStatus,
      orphaned: this.orphaned,
      alive: this.exitStatus === null,
      lastWriteMs: this.lastWriteMs,
      nowMs: now,
    };
  }

  /** Takes the lines of an input channel (or the launch channel) into the run's input. */
  relayFrom(child: FakeChild) {
    let partial = "";
    // The launch channel's env header (up to an empty line) is the wrapper's, not the relay's.
    let header = child === this.launch;
    child.stdin.on("data", (c: Buffer) => {
      const lines = (partial + c.toString("utf8")).split("\n");
      // A line cut by a dropped link never reaches the CLI.
      partial = lines.pop() ?? "";
      for (const line of lines) {
        if (this.stdinEnded || this.linkDying) continue;
        if (line === FAKE_END_INPUT) this.stdinEnded = true;
        else this.written.push(line);
        // Like the real relay: each line taken is confirmed on stdout.
        if (!header) child.stdout.write(Buffer.from([INPUT_ACK]));
        else if (line === "") header = false;
      }
    });
    // The relay ends with its stdin (the end line or the server letting go).
    child.stdin.on("end", () => child.end({ code: 0, signal: null, lost: false }));
  }

  /** Whether the current follow channel is held back (a slow reader). */
  followPaused(): boolean {
    return [...this.followers].some((f) => f.child.stdout.isPaused() || f.child.stderr.isPaused());
  }
}
