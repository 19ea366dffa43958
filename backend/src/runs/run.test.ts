import { describe, expect, it } from "vitest";
import { unreachable } from "./fakes.test-helpers.js";
import { childOf, finished, setup, spec, stdinLines, tick } from "./run.test-helpers.js";

describe("startRun: start and end", () => {
  it("writes CLAUDE_ENV then the prompt as a user line to stdin, decodes stdout, strips the pid marker, completes once", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    await tick();
    // The secret travels on stdin only: the script (an argv on the target) does not hold it.
    expect(child.written.slice(0, 2)).toEqual(["ANTHROPIC_API_KEY=c2stc2VjcmV0", ""]);
    expect([...executor.scripts, ...executor.sideCommands].join("\n")).not.toContain("sk-secret");
    expect(stdinLines(child)).toEqual([
      { type: "user", message: { role: "user", content: spec.prompt } },
    ]);
    expect(child.stdinEnded).toBe(false);
    child.stderr.write("__CATALYST_PID__=321\nreal stderr\n");
    child.stdout.write('{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n');
    await tick();
    // Its one message has its result: the input closes, so the CLI can exit.
    expect(child.stdinEnded).toBe(true);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(events[0]?.type).toBe("run_started");
    expect(events.map((e) => e.type).sort()).toEqual([
      "result",
      "run_finished",
      "run_started",
      "stderr",
    ]);
    expect(events.find((e) => e.type === "stderr")).toMatchObject({ text: "real stderr" });
    expect(finished(events)).toMatchObject({ outcome: "completed", exitCode: 0, message: null });
    // Leftovers of the group and of the run marker are swept after every end.
    expect(executor.sideCommands.at(-1)).toContain("kill -KILL -321");
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
  });

  it("says plainly that the CLI is missing", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_NO_CLI__\n");
    await tick();
    child.end({ code: 127, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      exitCode: 127,
      message: "claude not found on vm: install it or set CLAUDE_BIN",
    });
  });

  it("fails with the exit code and the last stderr lines", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\nNo conversation found with session ID: x\n");
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    const f = finished(events);
    expect(f.outcome).toBe("failed");
    expect(f.message).toBe(
      "Claude Code exited with code 1: No conversation found with session ID: x",
    );
    expect(f.stderrTail).toEqual(["No conversation found with session ID: x"]);
  });

  it("uses the CLI's error result as the message when the model call failed (empty stderr)", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\n");
    child.stdout.write(
      '{"type":"result","subtype":"success","is_error":true,"result":"API Error: 500 Internal server error"}\n',
    );
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      exitCode: 1,
      message: "Claude Code failed: API Error: 500 Internal server error",
    });
  });

  it("describes an error result that has no text by its subtype (max turns)", async () => {
    const { executor, events, collected } = setup();
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_PID__=12\n");
    child.stdout.write(
      '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":5,"session_id":"s"}\n',
    );
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Claude Code failed: Claude stopped after reaching the maximum number of turns (5).",
    });
  });

  it("turns an unreachable target into a failed run with the executor's message", async () => {
    const { events, collected } = setup({ startError: unreachable() });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Cannot reach vm:22: connect ECONNREFUSED",
    });
  });

  it("refuses a hostile idea id before anything runs", async () => {
    const { executor, events, collected } = setup({ spec: { ...spec, ideaId: "../../etc" } });
    await collected;
    expect(finished(events).outcome).toBe("failed");
    expect(executor.scripts).toEqual([]);
  });
});
