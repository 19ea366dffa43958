// The durable part of the run lifecycle suite (runs-lifecycle.ts calls it, so it runs against the
// local executor and the real sshd alike): a run detached from its server goes on on the target,
// and a new runner's attach follows it to its real end, every line once.
import { expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import type { CliRunner } from "../src/runs/cli-runner.js";
import type { RunSettings } from "../src/runs/run.js";
import type { OutputSource, RunOutput, RunRef } from "../src/runs/runner.js";
import { alivePids, echoReport, firstEvent, markerAlive, spec } from "./runs-helpers.js";

type Make = (overrides?: Partial<RunSettings>) => {
  runner: CliRunner;
  executor: Executor;
  settings: RunSettings;
};

/** Where the transcript would resume after these events (RunRef.resume, as ideas/recover.ts builds it). */
function resumeAfter(sources: (OutputSource | null)[]): RunRef["resume"] {
  const last = (stream: "out" | "err") => sources.filter((s) => s?.stream === stream).at(-1);
  const point = (s: OutputSource | null | undefined) =>
    s ? { offset: s.line, skip: s.index + 1 } : { offset: 0, skip: 0 };
  return { out: point(last("out")), err: point(last("err")) };
}

export function durableLifecycle(make: Make): void {
  it("durable: close({ detach }) leaves the run going; a new runner's attach follows it to its real end, every line once", async () => {
    const first = make();
    const s = spec("@fake echo-prompt\n@fake silence ms=1500\n@fake hello text=after-the-restart");
    const handle = first.runner.start(s);
    const seen = await firstEvent(handle, "text");
    const sources = seen.map((e) => handle.sourceOf(e));
    const pid = echoReport(seen).pid;
    await first.runner.close({ detach: true });
    const rest: RunOutput[] = [];
    for await (const e of handle.events) rest.push(e);
    // Let go of, not ended: no run_finished, and the CLI goes on.
    expect(rest.some((e) => e.type === "run_finished")).toBe(false);
    const second = make({ remoteRoot: first.settings.remoteRoot });
    expect(await alivePids(second.executor, [pid])).toEqual([pid]);
    const ref: RunRef = {
      runId: s.runId,
      ideaId: s.ideaId,
      mode: s.mode,
      startedAt: Date.now() - 1000,
      resume: resumeAfter([...sources, ...rest.map((e) => handle.sourceOf(e))]),
      waiting: [],
    };
    const attached = second.runner.attach(ref);
    const after: RunOutput[] = [];
    for await (const e of attached.events) after.push(e);
    expect(after.at(-1)).toMatchObject({ type: "run_finished", outcome: "completed" });
    expect(after.filter((e) => e.type === "run_finished")).toHaveLength(1);
    const all = [...seen, ...rest, ...after];
    // Nothing twice, nothing lost: one init, one echo report, the later text, one result.
    expect(all.filter((e) => e.type === "init")).toHaveLength(1);
    expect(
      all.filter((e) => e.type === "text" && e.text.startsWith('{"promptBytes"')),
    ).toHaveLength(1);
    expect(all.filter((e) => e.type === "text" && e.text === "after-the-restart")).toHaveLength(1);
    expect(all.filter((e) => e.type === "result")).toHaveLength(1);
    expect(await markerAlive(second.executor, s.runId)).toBe(false);
  });

  it("durable: attach to a run that ended while nobody followed it collects its output and its real outcome", async () => {
    const first = make();
    const s = spec("@fake hello text=while-away\n@fake exit code=3 message=gone-wrong");
    const handle = first.runner.start(s);
    await firstEvent(handle, "init");
    await first.runner.close({ detach: true });
    const second = make({ remoteRoot: first.settings.remoteRoot });
    // Wait for the run to end on the target.
    for (let i = 0; i < 200 && (await markerAlive(second.executor, s.runId)); i++)
      await new Promise((r) => setTimeout(r, 25));
    const ref: RunRef = {
      runId: s.runId,
      ideaId: s.ideaId,
      mode: s.mode,
      startedAt: Date.now() - 1000,
      resume: { out: { offset: 0, skip: 0 }, err: { offset: 0, skip: 0 } },
      waiting: [],
    };
    const after: RunOutput[] = [];
    for await (const e of second.runner.attach(ref).events) after.push(e);
    expect(after.some((e) => e.type === "text" && e.text === "while-away")).toBe(true);
    expect(after.at(-1)).toMatchObject({
      type: "run_finished",
      outcome: "failed",
      exitCode: 3,
      stderrTail: ["gone-wrong"],
    });
  });

  it("durable: attach to a run whose folder is not there ends it disconnected, saying so", async () => {
    const { runner } = make();
    const s = spec("unused");
    const events: RunOutput[] = [];
    const handle = runner.attach({
      runId: s.runId,
      ideaId: s.ideaId,
      mode: s.mode,
      startedAt: Date.now(),
      resume: { out: { offset: 0, skip: 0 }, err: { offset: 0, skip: 0 } },
      waiting: [],
    });
    for await (const e of handle.events) events.push(e);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "run_finished", outcome: "disconnected" });
  });
}
