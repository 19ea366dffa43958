// A hand-written Runner for server tests: each run is driven step by step by the test (no process).
import { runFinished, runStarted, type RunOutcome } from "@catalyst/shared";
import type { CliProbe, RunHandle, Runner, RunOutput, RunSpec } from "../src/runs/runner.js";

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
  readonly handle: RunHandle;

  constructor(readonly spec: RunSpec) {
    this.handle = {
      runId: spec.runId,
      events: this.queue,
      cancel: () => {
        this.cancelCalls++;
        // Like the CLI on SIGINT: the run ends, reported as cancelled.
        if (!this.finished) this.finish("cancelled", 0);
      },
    };
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
    return this.emit({
      type: "result",
      parentToolUseId: null,
      subtype: isError ? "error_during_execution" : "success",
      isError,
      costUsd,
      durationMs: 1,
      numTurns: 1,
      text,
      errors: [],
      permissionDenials: [],
      sessionId: null,
      usage: null,
    });
  }

  finish(outcome: RunOutcome = "completed", exitCode: number | null = 0): this {
    this.finished = true;
    this.emit(
      runFinished({
        runId: this.spec.runId,
        outcome,
        exitCode,
        durationMs: 1,
        message: outcome === "completed" ? null : `run ${outcome}`,
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

  async close(): Promise<void> {
    this.closed = true;
  }
}
