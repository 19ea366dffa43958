// The live-session part of the run lifecycle suite (runs-lifecycle.ts calls it, so it runs against
// the local executor and the real sshd alike): answers, messages and interrupt, end to end.
import { expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import type { CliRunner } from "../src/runs/cli-runner.js";
import type { RunSettings } from "../src/runs/run.js";
import type { PermissionAnswer, PermissionRequestEvent } from "@catalyst/shared";
import type { RunHandle, RunOutput } from "../src/runs/runner.js";
import { childPids, collect, markerAlive, spec } from "./runs-helpers.js";
import { shellQuote } from "../src/exec/shell-quote.js";

type Make = (overrides?: Partial<RunSettings>) => {
  runner: CliRunner;
  executor: Executor;
  settings: RunSettings;
};

/** Collects a run, answering each permission request with what `decide` says. */
async function answering(
  handle: RunHandle,
  decide: (r: PermissionRequestEvent) => PermissionAnswer,
): Promise<RunOutput[]> {
  const events: RunOutput[] = [];
  for await (const e of handle.events) {
    events.push(e);
    if (e.type === "permission_request") {
      expect(handle.answer(e.requestId, decide(e), "user")).toEqual({ ok: true });
    }
  }
  return events;
}

async function readOnTarget(executor: Executor, path: string): Promise<string | null> {
  const r = await executor.run(`cat ${shellQuote(path)} 2>/dev/null`);
  return r.code === 0 ? r.stdout : null;
}

export function liveSessionLifecycle(make: Make): void {
  it("live session: a build's Bash call waits for an answer; allow runs it on the target, deny reaches the model", async () => {
    const { runner, executor, settings } = make();
    const s = spec('@fake tool name=Bash command="echo from-target > made.txt"', { mode: "build" });
    const allowed = await answering(runner.start(s), () => ({
      decision: "allow",
      scope: "once",
    }));
    const project = `${settings.remoteRoot}/ideas/${s.ideaId}/project`;
    expect(await readOnTarget(executor, `${project}/made.txt`)).toBe("from-target\n");
    expect(allowed.find((e) => e.type === "permission_answered")).toMatchObject({ by: "user" });
    expect(allowed.at(-1)).toMatchObject({ type: "run_finished", outcome: "completed" });

    const d = spec('@fake tool name=Bash command="touch denied.txt"', {
      mode: "build",
      ideaId: s.ideaId,
    });
    const denied = await answering(runner.start(d), () => ({
      decision: "deny",
      scope: "once",
      message: "not on this machine",
    }));
    expect(await readOnTarget(executor, `${project}/denied.txt`)).toBeNull();
    expect(denied.find((e) => e.type === "tool_result")).toMatchObject({
      content: "not on this machine",
      isError: true,
    });
  });

  it("live session: a message sent during the run goes into the same CLI and gets its own result", async () => {
    const { runner } = make();
    const handle = runner.start(spec("@fake slow interval=100 count=5"));
    const events: RunOutput[] = [];
    for await (const e of handle.events) {
      events.push(e);
      if (e.type === "init" && events.filter((x) => x.type === "init").length === 1) {
        expect(handle.send("@fake hello text=second")).toBe(true);
      }
    }
    expect(events.filter((e) => e.type === "init")).toHaveLength(2);
    const results = events.filter((e) => e.type === "result");
    expect(results.map((r) => r.type === "result" && r.text)).toEqual([
      "Line 1 of 5.\nLine 2 of 5.\nLine 3 of 5.\nLine 4 of 5.\nLine 5 of 5.\n",
      "second",
    ]);
    expect(events.at(-1)).toMatchObject({ type: "run_finished", outcome: "completed" });
    expect(handle.send("too late")).toBe(false);
  });

  it("live session: cancel while a request waits interrupts the CLI, and leaves no process", async () => {
    const { runner, executor } = make({ cancelGraceMs: 2000 });
    const s = spec('@fake child count=1 ms=0\n@fake tool name=Bash command="echo x"', {
      mode: "build",
    });
    const handle = runner.start(s);
    const events: RunOutput[] = [];
    let pids: number[] = [];
    for await (const e of handle.events) {
      events.push(e);
      if (e.type === "text" && pids.length === 0) pids = childPids(events);
      if (e.type === "permission_request") handle.cancel();
    }
    expect(events.find((e) => e.type === "permission_answered")).toMatchObject({
      by: "run_ended",
    });
    expect(events.at(-1)).toMatchObject({ type: "run_finished", outcome: "cancelled" });
    expect(events.some((e) => e.type === "control_response" && e.subtype === "success")).toBe(true);
    expect(pids.length).toBe(1);
    expect(await markerAlive(executor, s.runId)).toBe(false);
  });

  it("live session: an unanswered request is denied after APPROVAL_TIMEOUT_MS and the run goes on", async () => {
    const { runner } = make({ approvalTimeoutMs: 300 });
    const { events, finished } = await collect(
      runner.start(spec('@fake tool name=Bash command="echo late"', { mode: "build" })),
    );
    expect(events.find((e) => e.type === "permission_answered")).toMatchObject({
      decision: "deny",
      by: "timeout",
    });
    expect(finished.outcome).toBe("completed");
  });
}
