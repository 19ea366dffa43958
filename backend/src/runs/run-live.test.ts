// startRun as a live session: permission requests and their answers on stdin, the approval
// timeout, inactivity paused while a person decides, messages into a running session.
import { describe, expect, it } from "vitest";
import type { FakeRun } from "./fakes.test-helpers.js";
import { childOf, finished, setup, spec, stdinLines, tick } from "./run.test-helpers.js";

const request = (id: string, tool = "Bash", extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({
    type: "control_request",
    request_id: id,
    request: {
      subtype: "can_use_tool",
      tool_name: tool,
      input: { command: "npm init -y" },
      permission_suggestions: [
        {
          type: "addRules",
          rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
          behavior: "allow",
          destination: "localSettings",
        },
      ],
      tool_use_id: `toolu_${id}`,
      ...extra,
    },
  })}\n`;
const RESULT = '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n';

async function started() {
  const s = setup({ spec: { ...spec, mode: "build" } });
  const child = await childOf(s.executor);
  child.stderr.write("__CATALYST_PID__=40\n");
  await tick();
  return { ...s, child };
}
const responses = (child: FakeRun) =>
  stdinLines(child).filter((l) => (l as { type?: string }).type === "control_response");

describe("startRun, live session", () => {
  it("answers an allow on stdin with the request's input, and records who answered", async () => {
    const { child, run, events, collected } = await started();
    child.stdout.write(request("r1"));
    await tick();
    expect(events.at(-1)).toMatchObject({ type: "permission_request", requestId: "r1" });
    // Answers belong to questions: a tool's input goes back untouched.
    expect(
      run.answer("r1", { decision: "allow", scope: "once", answers: { x: "y" } }, "user"),
    ).toEqual({ ok: true });
    expect(run.answer("r1", { decision: "deny", scope: "once" }, "user")).toEqual({
      ok: false,
      reason: "answered",
    });
    expect(run.answer("nope", { decision: "deny", scope: "once" }, "user")).toEqual({
      ok: false,
      reason: "unknown",
    });
    await tick();
    expect(responses(child)).toEqual([
      {
        type: "control_response",
        response: {
          subtype: "success",
          request_id: "r1",
          response: { behavior: "allow", updatedInput: { command: "npm init -y" } },
        },
      },
    ]);
    expect(events.at(-1)).toEqual({
      type: "permission_answered",
      runId: "run_1",
      requestId: "r1",
      decision: "allow",
      scope: "once",
      by: "user",
    });
    child.stdout.write(RESULT);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("completed");
  });

  it("sends the CLI's suggestions back on an always-allow, and the person's words on a deny", async () => {
    const { child, run } = await started();
    child.stdout.write(request("a") + request("d"));
    await tick();
    run.answer("a", { decision: "allow", scope: "always" }, "user");
    run.answer("d", { decision: "deny", scope: "once", message: "use pnpm" }, "user");
    await tick();
    const [always, deny] = responses(child) as {
      response: { response: Record<string, unknown> };
    }[];
    expect(always?.response.response.updatedPermissions).toEqual([
      {
        type: "addRules",
        rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
        behavior: "allow",
        destination: "localSettings",
      },
    ]);
    expect(deny?.response.response).toEqual({ behavior: "deny", message: "use pnpm" });
    child.end({ code: 0, signal: null, lost: false });
  });

  it("keeps on an always-allow only the allow rules the person was shown, for the idea's folder alone", async () => {
    const { child, run, events } = await started();
    const suggestions = [
      { type: "setMode", mode: "bypassPermissions", destination: "session" },
      { type: "addDirectories", directories: ["/"], destination: "userSettings" },
      { type: "addRules", rules: [{ toolName: "Bash" }], behavior: "deny", destination: "session" },
      {
        type: "addRules",
        rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
        behavior: "allow",
        destination: "userSettings",
      },
    ];
    child.stdout.write(request("w", "Bash", { permission_suggestions: suggestions }));
    await tick();
    expect(events.at(-1)).toMatchObject({ alwaysRules: ["Bash(npm init *)"] });
    run.answer("w", { decision: "allow", scope: "always" }, "user");
    await tick();
    const [always] = responses(child) as { response: { response: Record<string, unknown> } }[];
    // Not a mode, not a directory, not the user's global settings: the rule shown, in the project.
    expect(always?.response.response.updatedPermissions).toEqual([
      {
        type: "addRules",
        rules: [{ toolName: "Bash", ruleContent: "npm init *" }],
        behavior: "allow",
        destination: "localSettings",
      },
    ]);
    child.end({ code: 0, signal: null, lost: false });
  });

  it("sends no rules on an always-allow when none was shown", async () => {
    const { child, run } = await started();
    const suggestions = [{ type: "setMode", mode: "acceptEdits", destination: "session" }];
    child.stdout.write(request("m", "Edit", { permission_suggestions: suggestions }));
    await tick();
    run.answer("m", { decision: "allow", scope: "always" }, "user");
    await tick();
    const [always] = responses(child) as { response: { response: Record<string, unknown> } }[];
    expect(always?.response.response).toEqual({
      behavior: "allow",
      updatedInput: { command: "npm init -y" },
    });
    child.end({ code: 0, signal: null, lost: false });
  });

  it("answers a question with the chosen labels in updatedInput.answers", async () => {
    const { child, run, events } = await started();
    const input = { questions: [{ question: "Which?", header: "H", options: [{ label: "A" }] }] };
    child.stdout.write(request("q", "AskUserQuestion", { input, requires_user_interaction: true }));
    await tick();
    expect(events.at(-1)).toMatchObject({ requiresUserInteraction: true, input });
    run.answer("q", { decision: "allow", scope: "once", answers: { "Which?": "A" } }, "user");
    await tick();
    expect(responses(child)[0]).toMatchObject({
      response: { response: { updatedInput: { ...input, answers: { "Which?": "A" } } } },
    });
    expect(events.at(-1)).toMatchObject({
      type: "permission_answered",
      answers: { "Which?": "A" },
    });
    child.end({ code: 0, signal: null, lost: false });
  });

  it("does not count a wait for a person as inactivity; nobody answering is a deny after APPROVAL_TIMEOUT_MS, and the run goes on", async () => {
    const { child, clock, executor, events } = await started();
    child.stdout.write(request("slow"));
    await tick();
    // CLAUDE_TIMEOUT_MS is 10 s here: a person thinking for 50 s stops nothing.
    clock.advance(50_000);
    expect(executor.sideCommands).toEqual([]);
    expect(stdinLines(child)).toHaveLength(1);
    clock.advance(10_000); // APPROVAL_TIMEOUT_MS is 60 s here
    await tick();
    expect(events.at(-1)).toMatchObject({
      type: "permission_answered",
      requestId: "slow",
      decision: "deny",
      by: "timeout",
    });
    const [deny] = responses(child) as { response: { response: { message: string } } }[];
    expect(deny?.response.response.message).toMatch(/Nobody answered/);
    // From the answer on, silence counts again.
    clock.advance(9_000);
    expect(stdinLines(child)).toHaveLength(2);
    clock.advance(1_000);
    expect(stdinLines(child).at(-1)).toMatchObject({ request: { subtype: "interrupt" } });
    child.end({ code: 1, signal: null, lost: false });
  });

  it("takes a message during the run, and closes the input only after its result too", async () => {
    const { child, run, events, collected } = await started();
    expect(run.send("also add tests")).toBe(true);
    await tick();
    expect(events.at(-1)).toEqual({
      type: "user_message_queued",
      runId: "run_1",
      message: "also add tests",
    });
    expect(stdinLines(child)[1]).toEqual({
      type: "user",
      message: { role: "user", content: "also add tests" },
    });
    child.stdout.write(RESULT);
    await tick();
    expect(child.stdinEnded).toBe(false);
    child.stdout.write(RESULT);
    await tick();
    expect(child.stdinEnded).toBe(true);
    expect(run.send("too late")).toBe(false);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events).outcome).toBe("completed");
  });

  it("does not take a subagent's result for the end of the turn: the input stays open for a queued message", async () => {
    const { child, run } = await started();
    expect(run.send("and then this")).toBe(true);
    child.stdout.write(
      '{"type":"result","subtype":"success","is_error":false,"result":"sub","parent_tool_use_id":"toolu_task"}\n',
    );
    await tick();
    child.stdout.write(RESULT);
    await tick();
    expect(child.stdinEnded).toBe(false);
    child.stdout.write(RESULT);
    await tick();
    expect(child.stdinEnded).toBe(true);
    child.end({ code: 0, signal: null, lost: false });
  });

  it("a stop denies what waits at once, and allows nothing after it: not the person, not the policy", async () => {
    const { child, run, events } = await started();
    child.stdout.write(request("waiting"));
    await tick();
    run.cancel();
    await tick();
    expect(events.at(-1)).toMatchObject({
      type: "permission_answered",
      requestId: "waiting",
      decision: "deny",
      by: "run_ended",
    });
    // The deny goes before the interrupt: the CLI never runs the tool the person did not allow.
    expect(stdinLines(child).slice(1)).toMatchObject([
      {
        type: "control_response",
        response: { request_id: "waiting", response: { behavior: "deny" } },
      },
      { type: "control_request", request: { subtype: "interrupt" } },
    ]);
    expect(run.answer("waiting", { decision: "allow", scope: "once" }, "user")).toEqual({
      ok: false,
      reason: "answered",
    });
    // A request the CLI sent before it saw the interrupt: denied as it comes, whoever answers.
    child.stdout.write(request("late"));
    await tick();
    expect(run.answer("late", { decision: "allow", scope: "once" }, "policy")).toEqual({
      ok: false,
      reason: "answered",
    });
    expect(responses(child).map((r) => r)).toMatchObject([
      { response: { request_id: "waiting", response: { behavior: "deny" } } },
      { response: { request_id: "late", response: { behavior: "deny" } } },
    ]);
    child.end({ code: 1, signal: null, lost: false });
  });

  it("records a request still waiting when the run ends as answered by its end, before run_finished", async () => {
    const { child, events, collected } = await started();
    child.stdout.write(request("left"));
    await tick();
    child.end({ code: 1, signal: null, lost: false });
    await collected;
    expect(events.slice(-2)).toMatchObject([
      { type: "permission_answered", requestId: "left", decision: "deny", by: "run_ended" },
      { type: "run_finished" },
    ]);
  });

  it("answers a control request it does not serve with an error, so the CLI never hangs on it", async () => {
    const { child } = await started();
    child.stdout.write(
      '{"type":"control_request","request_id":"h1","request":{"subtype":"hook_callback"}}\n',
    );
    await tick();
    expect(responses(child)).toEqual([
      {
        type: "control_response",
        response: {
          subtype: "error",
          request_id: "h1",
          error: "Catalyst does not handle hook_callback requests",
        },
      },
    ]);
    child.end({ code: 0, signal: null, lost: false });
  });
});
