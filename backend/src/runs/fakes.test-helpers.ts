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
export { ManualClock } from "../clock.test-helpers.js";

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
  end(exit: ExitInfo) {
    this.exitOnly(exit);
    this.close();
  }
  /** The process ended but its output is still open (a grandchild holds it, or it drains). */
  exitOnly(exit: ExitInfo) {
    this.settleExit(exit);
  }
  close() {
    this.stdout.end();
    this.stderr.end();
    this.settleClosed();
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
  async start(script: string) {
    if (this.startError) throw this.startError;
    this.scripts.push(script);
    const child = new FakeChild();
    this.children.push(child);
    this.onStart?.(child);
    return child;
  }
  readonly ptys: FakePty[] = [];
  async startPty(script: string, opts: PtyOptions) {
    if (this.startError) throw this.startError;
    const p = new FakePty(script, opts);
    this.ptys.push(p);
    return p;
  }
  async run(script: string): Promise<SideResult> {
    this.sideCommands.push(script);
    if (this.sideError) throw this.sideError;
    return { code: 0, stdout: "0\n", stderr: "" };
  }
  async close() {}
}

export const unreachable = () =>
  new ExecError("unreachable", "Cannot reach vm:22: connect ECONNREFUSED");
