// Hand-written test doubles for run logic: an executor driven by the test (and the hand-driven clock).
import { PassThrough } from "node:stream";
import {
  ExecError,
  type ExecChild,
  type Executor,
  type ExitInfo,
  type PtyChild,
  type PtyOptions,
  type PtySize,
  type SideResult,
} from "../exec/executor.js";
import type { Clock } from "../clock.js";
import { FakeRun } from "./fake-target.test-helpers.js";
export { ManualClock } from "../clock.test-helpers.js";
export { FakeRun, fakeScripts } from "./fake-target.test-helpers.js";

export class FakeChild implements ExecChild {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  private settleExit!: (e: ExitInfo) => void;
  private settleClosed!: () => void;
  readonly exit = new Promise<ExitInfo>((r) => (this.settleExit = r));
  readonly closed = new Promise<void>((r) => (this.settleClosed = r));
  detached = false;
  /** Every stdin line so far (the live session's NDJSON). */
  readonly written: string[] = [];
  private partial = "";
  /** The whole stdin as the process would read it, once it is closed. */
  readonly stdinText = new Promise<string>((resolve) => {
    const parts: Buffer[] = [];
    this.stdin.on("data", (c: Buffer) => {
      parts.push(c);
      const lines = (this.partial + c.toString("utf8")).split("\n");
      this.partial = lines.pop() ?? "";
      this.written.push(...lines);
    });
    this.stdin.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
  });
  /** Whether the run closed stdin. */
  get stdinEnded(): boolean {
    return this.stdin.writableEnded;
  }
  exited = false;
  end(exit: ExitInfo) {
    if (this.exited) return;
    this.exitOnly(exit);
    this.close();
  }
  /** The process ended but its output is still open (a grandchild holds it, or it drains). */
  exitOnly(exit: ExitInfo) {
    this.exited = true;
    this.settleExit(exit);
  }
  /** Output ends; `closed` settles once a reader took all of it (as a real channel's close). */
  close() {
    const ended = (s: PassThrough) =>
      s.readableEnded ? Promise.resolve() : new Promise((r) => s.once("end", r));
    void Promise.all([ended(this.stdout), ended(this.stderr)]).then(() => this.settleClosed());
    this.stdout.end();
    this.stderr.end();
  }
  detach() {
    this.detached = true;
  }
}

/** A PTY program driven by the test: it records keystrokes and sizes, and ends on cue or stop. */
export class FakePty implements PtyChild {
  readonly output = new PassThrough();
  readonly written: string[] = [];
  readonly sizes: PtySize[] = [];
  stopped = false;
  private settleExit!: (e: ExitInfo) => void;
  readonly exit = new Promise<ExitInfo>((r) => (this.settleExit = r));
  constructor(
    readonly script: string,
    readonly opts: PtyOptions,
  ) {}
  write(data: string | Buffer) {
    this.written.push(data.toString());
  }
  resize(size: PtySize) {
    this.sizes.push(size);
  }
  end(exit: ExitInfo) {
    this.output.end();
    this.settleExit(exit);
  }
  async stop() {
    this.stopped = true;
    this.end({ code: null, signal: "SIGKILL", lost: false });
  }
}

export class FakeExecutor implements Executor {
  readonly target = "fake@vm:22";
  readonly hostLabel = "vm";
  readonly scripts: string[] = [];
  readonly sideCommands: string[] = [];
  readonly children: FakeChild[] = [];
  startError: Error | null = null;
  sideError: Error | null = null;
  /** Called with each child before the run gets it (to make it misbehave). */
  onStart: ((child: FakeChild) => void) | null = null;
  /** The runs on the fake target, by run id (fake-target.test-helpers.ts's scripts). */
  readonly runs = new Map<string, FakeRun>();
  /** For the runs' write times (last_write_ms). */
  clock: Clock | null = null;
  /** What the fake run scripts were asked for, besides channels: status, heartbeat, cleanup. */
  readonly targetCommands: string[] = [];
  /** The link is down: channels and commands fail as unreachable. */
  linkDown = false;
  /** While set, channels wait for it before they are up (connecting to the target). */
  connecting: Promise<void> | null = null;
  async start(script: string) {
    if (this.connecting) await this.connecting;
    if (this.startError) throw this.startError;
    if (this.linkDown) throw unreachable();
    this.scripts.push(script);
    const child = new FakeChild();
    this.children.push(child);
    this.onStart?.(child);
    this.serve(script, child);
    return child;
  }
  /** Cuts the link: every open channel ends as lost, nothing connects until restoreLink(). */
  dropLink() {
    this.linkDown = true;
    for (const run of this.runs.values()) run.followers.clear();
    for (const c of this.children) c.end({ code: null, signal: null, lost: true });
  }
  restoreLink() {
    this.linkDown = false;
  }
  private serve(script: string, child: FakeChild) {
    const [kind, runId = "", a = "0", b = "0"] = (script.split("\n")[0] ?? "").split(" ");
    const run = this.runs.get(runId);
    const noFolder = () => child.end({ code: 3, signal: null, lost: false });
    switch (kind) {
      case "#launch": {
        const r = new FakeRun(runId, this.clock);
        this.runs.set(runId, r);
        r.launch = child;
        r.relayFrom(child);
        return;
      }
      case "#follow":
        if (!run?.folder) return noFolder();
        child.stdout.write(run.out.subarray(Number(a)));
        child.stderr.write(run.err.subarray(Number(b)));
        if (run.exitStatus !== null) child.end({ code: 0, signal: null, lost: false });
        else run.followers.add({ child });
        return;
      case "#input":
        if (!run?.folder) return noFolder();
        run.relayFrom(child);
        return;
    }
  }
  readonly ptys: FakePty[] = [];
  async startPty(script: string, opts: PtyOptions) {
    if (this.startError) throw this.startError;
    const p = new FakePty(script, opts);
    this.ptys.push(p);
    return p;
  }
  async run(script: string): Promise<SideResult> {
    if (this.connecting) await this.connecting;
    if (this.linkDown) throw unreachable();
    const [kind, runId = ""] = (script.split("\n")[0] ?? "").split(" ");
    if (kind === "#status" || kind === "#heartbeat" || kind === "#cleanup") {
      this.targetCommands.push(script);
      const run = this.runs.get(runId);
      const status = run?.status(this.clock?.now() ?? null) ?? {
        folder: false,
        pgid: null,
        exit: null,
        orphaned: false,
        alive: false,
        lastWriteMs: null,
        nowMs: null,
      };
      return { code: 0, stdout: kind === "#status" ? JSON.stringify(status) : "", stderr: "" };
    }
    this.sideCommands.push(script);
    if (this.sideError) throw this.sideError;
    return { code: 0, stdout: "0\n", stderr: "" };
  }
  async close() {}
}

export const unreachable = () =>
  new ExecError("unreachable", "Cannot reach vm:22: connect ECONNREFUSED");
