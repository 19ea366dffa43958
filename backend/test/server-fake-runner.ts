// A hand-written Runner for server tests: each run is driven step by step by the test (no process).
import {
  resultEvent,
  runFinished,
  runStarted,
  type PermissionRequestEvent,
  type RunOutcome,
} from "@catalyst/shared";
import { ManualClock } from "../src/clock.test-helpers.js";
import { createControlSession, type ControlSession } from "../src/runs/control.js";
import type {
  CliProbe,
  OutputSource,
  RunHandle,
  Runner,
  RunOutput,
  RunRef,
  RunSpec,
} from "../src/runs/runner.js";

class Queue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private done = false;

  push(item: T): void {
    if (this.done) throw new Error("pushed after end");
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.done = true;
    if (this.waiting) this.waiting({ value: undefined, done: true });
    this.waiting = null;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

export class FakeRun {
  readonly queue = new Queue<RunOutput>();
  cancelCalls = 0;
  finished = false;
  /** Messages sent into the run after its prompt. */
  readonly sent: string[] = [];
  /** What the run wrote to the CLI's stdin (the real control protocol, with a recording input). */
  readonly lines: string[] = [];
  /** The approval timeout's clock: tests advance it by hand. */
  readonly clock = new ManualClock();
  /** Set to make `send` refuse (a run that is ending). */
  refuseMessages = false;
  /** False while its launch has not reached the target: a shutdown ends it instead (letGo). */
  onTarget = true;
  /** The server let go of it (a shutdown leaving runs going). */
  letGo = false;
  readonly control: ControlSession;
  readonly handle: RunHandle;

  constructor(readonly spec: RunSpec) {
    this.control = createControlSession({
      runId: spec.runId,
      clock: this.clock,
      approvalTimeoutMs: 60_000,
      answered: (e) => this.emit(e),
      interruptFailed: () => {},
    });
    this.control.attach({
      send: (line) => (this.lines.push(line), true),
      end: () => {},
      ended: false,
    });
    this.handle = {
      runId: spec.runId,
      events: this.queue,
      cancel: () => {
        this.cancelCalls++;
        // Like the CLI on SIGINT: the run ends, reported as cancelled.
        if (!this.finished) this.finish("cancelled", 0);
      },
      answer: (requestId, answer, by) => this.control.answer(requestId, answer, by),
      send: (message) => {
        if (this.finished || this.refuseMessages) return false;
        this.sent.push(message);
        this.emit({ type: "user_message_queued", runId: spec.runId, message });
        return true;
      },
      sourceOf: (event) => this.sources.get(event) ?? null,
      letGo: () => {
        if (this.finished) return false;
        if (!this.onTarget) {
          // As the real runner ends a run still connecting when the server stops.
          this.finishWith("failed", null, "The server stopped before the run started on fake.");
          return false;
        }
        this.letGo = true;
        return true;
      },
    };
  }

  /** Where each emitted event came from in the (pretend) output files, as a detached run says. */
  readonly sources = new WeakMap<RunOutput, OutputSource>();

  /** Emits a decoded event with its place in the output files. */
  emitFrom(out: RunOutput, source: OutputSource): this {
    this.sources.set(out, source);
    return this.emit(out);
  }

  /** The CLI asks for a tool (as the decoder reports a can_use_tool request). */
  permissionRequest(
    requestId: string,
    more: Partial<PermissionRequestEvent> = {},
    source?: OutputSource,
  ): this {
    const e: PermissionRequestEvent = {
      type: "permission_request",
      parentToolUseId: null,
      requestId,
      toolName: "Bash",
      displayName: "Bash",
      input: { command: "npm install" },
      toolUseId: `toolu_${requestId}`,
      description: "Install the dependencies",
      decisionReason: null,
      suggestions: [
        {
          type: "addRules",
          rules: [{ toolName: "Bash", ruleContent: "npm install *" }],
          behavior: "allow",
          destination: "localSettings",
        },
      ],
      alwaysRules: ["Bash(npm install *)"],
      requiresUserInteraction: false,
      ...more,
    };
    this.control.observe(e);
    return source ? this.emitFrom(e, source) : this.emit(e);
  }

  emit(out: RunOutput): this {
    this.queue.push(out);
    return this;
  }

  started(): this {
    return this.emit(
      runStarted({
        runId: this.spec.runId,
        mode: this.spec.mode,
        prompt: this.spec.prompt,
        resumeSessionId: this.spec.resumeSessionId,
        target: "fake",
        startedAt: new Date(0).toISOString(),
      }),
    );
  }

  init(sessionId: string): this {
    return this.emit({
      type: "init",
      parentToolUseId: null,
      sessionId,
      model: "fake",
      cwd: "/fake",
      tools: [],
      permissionMode: null,
      cliVersion: "0",
    });
  }

  text(text: string): this {
    return this.emit({ type: "text", parentToolUseId: null, messageId: null, text });
  }

  result(costUsd: number, text: string | null = "done", isError = false): this {
    return this.emit(resultEvent({ isError, costUsd, durationMs: 1, numTurns: 1, text }));
  }

  finish(outcome: RunOutcome = "completed", exitCode: number | null = 0): this {
    return this.finishWith(outcome, exitCode, outcome === "completed" ? null : `run ${outcome}`);
  }

  finishWith(outcome: RunOutcome, exitCode: number | null, message: string | null): this {
    this.finished = true;
    this.control.close();
    this.emit(
      runFinished({
        runId: this.spec.runId,
        outcome,
        exitCode,
        durationMs: 1,
        message,
      }),
    );
    this.queue.end();
    return this;
  }
}

export class FakeRunner implements Runner {
  readonly target = "fake";
  readonly runs: FakeRun[] = [];
  private taken = 0;
  private waiters: ((run: FakeRun) => void)[] = [];
  closed = false;

  /** When set, each run plays this at once (for tests that only need runs to happen). */
  constructor(private readonly script?: (run: FakeRun) => void) {}

  start(spec: RunSpec): RunHandle {
    const run = new FakeRun(spec);
    this.runs.push(run);
    if (this.script) this.script(run);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.taken++;
      waiter(run);
    }
    return run.handle;
  }

  /** What attach finds on the target: the run (its notice first), or nothing of it (no notice). */
  reattachFinds: "run" | "nothing" = "run";

  /** The runs of an earlier server process that this one reattached to, in order. */
  readonly attached: RunRef[] = [];
  /**
   * A reattached run is a FakeRun like a started one (no run_started: the transcript has it); its
   * waiting requests are answerable, as the real runner's control session makes them.
   */
  attach(ref: RunRef): RunHandle {
    this.attached.push(ref);
    const handle = this.start({
      runId: ref.runId,
      ideaId: ref.ideaId,
      mode: ref.mode,
      prompt: "",
      resumeSessionId: null,
    });
    const run = this.runs.find((r) => r.handle === handle);
    for (const request of ref.waiting) run?.control.observe(request);
    // As the real runner says once the target answered that the run is there.
    if (this.reattachFinds === "run")
      run?.emit({
        type: "notice",
        parentToolUseId: null,
        level: "info",
        kind: "run_reattached",
        message: "The server restarted while this run was going on; it is followed again.",
      });
    return handle;
  }

  /** The next run the server starts (in start order), waiting for it if needed. */
  nextRun(): Promise<FakeRun> {
    const run = this.runs[this.taken];
    if (run) {
      this.taken++;
      return Promise.resolve(run);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The runs swept by marker (start-up recovery), in order. */
  readonly swept: string[] = [];
  async sweep(runId: string): Promise<void> {
    this.swept.push(runId);
  }

  async probe(): Promise<CliProbe> {
    return { target: "fake", cliFound: true, cliVersion: "0.0.0 (fake)", error: null };
  }

  /** How the last close was asked for: whether runs were left going on the target. */
  closedWith: { detach?: boolean } | null = null;
  async close(opts: { detach?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.closedWith = opts;
  }
}
