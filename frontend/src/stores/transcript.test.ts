import { describe, expect, it } from "vitest";
import {
  createTranscriptStore,
  type Item,
  type StreamedItem,
  type ToolItem,
} from "./transcript.js";
import type { TranscriptEvent } from "@catalyst/shared";
import { entries, ev } from "./fixtures.js";

const texts = (items: Item[]) =>
  items.filter((i): i is StreamedItem => i.kind === "text").map((i) => i.text());
const tool = (items: Item[], id: string) =>
  items.find((i): i is ToolItem => i.kind === "tool" && i.id === id);

describe("transcript store", () => {
  it("merges streamed deltas with the final text event into one message", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.delta("m1", "Hel"), ev.delta("m1", "lo")]));
    expect(texts(t.items())).toEqual(["Hello"]);
    t.apply(entries("r1", [ev.text("m1", "Hello!")], 4));
    expect(texts(t.items())).toEqual(["Hello!"]);
    expect(t.items().map((i) => i.kind)).toEqual(["user", "text"]);
  });

  it("keeps two text blocks of one message apart, in order", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.delta("m1", "first", 0),
        ev.delta("m1", "second", 2),
        ev.text("m1", "first."),
        ev.text("m1", "second."),
      ]),
    );
    expect(texts(t.items())).toEqual(["first.", "second."]);
  });

  it("shows a text event without deltas as its own message", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.text("m1", "one"), ev.text("m2", "two")]));
    expect(texts(t.items())).toEqual(["one", "two"]);
  });

  it("matches tool results to their call by toolUseId and marks errors and denials", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.toolUse("a", "Read", { file_path: "/src/app.ts" }),
        ev.toolUse("b", "Bash", { command: "rm -rf /\nmore" }),
        ev.toolResult("a", "file body"),
        ev.toolResult("b", "denied", true),
        ev.denied("b", "Bash"),
      ]),
    );
    const a = tool(t.items(), "a");
    const b = tool(t.items(), "b");
    expect(a?.summary).toBe("/src/app.ts");
    expect(a?.result()).toEqual({ text: "file body", isError: false });
    expect(b?.summary).toBe("rm -rf /");
    expect(b?.result()?.isError).toBe(true);
    expect(b?.denied()).toBe(true);
    expect(a?.denied()).toBe(false);
  });

  it("marks a tool call that never got its result once the run ends", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        ev.toolUse("a", "Bash", { command: "sleep 100" }),
        ev.finished("r1", "cancelled"),
      ]),
    );
    expect(tool(t.items(), "a")?.stopped()).toBe(true);
    expect(tool(t.items(), "a")?.result()).toBeNull();
  });

  it("groups subagent activity under the Task call that started it", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.toolUse("task1", "Task", { description: "explore" }),
        ev.text("sm1", "sub says", "task1"),
        ev.toolUse("g1", "Grep", { pattern: "TODO" }, "task1"),
        ev.toolResult("g1", "3 matches", false, "task1"),
        ev.toolResult("task1", "done"),
        ev.text("m2", "main says"),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["tool", "text"]);
    const task = tool(t.items(), "task1");
    expect(task?.children().map((i) => i.kind)).toEqual(["text", "tool"]);
    expect(tool(task?.children() ?? [], "g1")?.result()?.text).toBe("3 matches");
  });

  it("ignores entries it has already seen, so a resubscribe never shows anything twice", () => {
    const t = createTranscriptStore();
    const all = entries("r1", [
      ev.started("r1", "hi"),
      ev.delta("m1", "a"),
      ev.delta("m1", "b"),
      ev.delta("m1", "c"),
    ]);
    t.apply(all.slice(0, 3));
    t.apply(all.slice(1)); // the replay overlaps what was already shown
    expect(texts(t.items())).toEqual(["abc"]);
    expect(t.lastSeq()).toBe(4);
    expect(t.eventCount()).toBe(4);
  });

  it("tracks the active run through cancel to a footer with outcome, duration, turns and cost", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "build it", "build")]));
    expect(t.activeRun()).toEqual({ runId: "r1", mode: "build", cancelling: false });
    t.apply(entries("r1", [ev.cancel("r1")], 2));
    expect(t.activeRun()?.cancelling).toBe(true);
    t.apply(
      entries(
        "r1",
        [ev.result(0.0123, 3, true, ["interrupted"]), ev.finished("r1", "cancelled")],
        3,
      ),
    );
    expect(t.activeRun()).toBeNull();
    const footer = t.items().at(-1);
    expect(footer).toMatchObject({
      kind: "footer",
      mode: "build",
      outcome: "cancelled",
      durationMs: 4321,
      turns: 3,
      costUsd: 0.0123,
    });
    expect(t.items().some((i) => i.kind === "notice" && i.message === "interrupted")).toBe(true);
  });

  it("collects consecutive stderr lines into one folded output block", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [ev.stderr("one"), ev.stderr("two"), ev.text("m", "x"), ev.stderr("three")]),
    );
    const outputs = t.items().filter((i) => i.kind === "output");
    expect(outputs.map((o) => (o.kind === "output" ? o.lines() : []))).toEqual([
      ["one", "two"],
      ["three"],
    ]);
  });

  it("adds server errors as chat items without touching the seq", () => {
    const t = createTranscriptStore();
    t.addError("Claude is already working on this idea.");
    expect(t.items()).toMatchObject([
      { kind: "error", message: "Claude is already working on this idea." },
    ]);
    expect(t.lastSeq()).toBe(0);
  });

  it("updates a growing list without replacing the items already shown", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.text("m1", "a")]));
    const before = t.items();
    t.apply(entries("r1", [ev.text("m2", "b")], 3));
    expect(t.items()[0]).toBe(before[0]);
    expect(t.items()[1]).toBe(before[1]);
    expect(t.items()).toHaveLength(3);
  });
});

const notices = (items: Item[]) =>
  items.flatMap((i) => (i.kind === "notice" ? [`${i.level}: ${i.message}`] : []));
const requesting = () =>
  ev.notice("status", "info", "Status: requesting", {
    type: "system",
    subtype: "status",
    status: "requesting",
  });

describe("transcript store: notices", () => {
  it("turns status notices into the run's activity label, never into chat lines", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "hi"), requesting()]));
    expect(t.activity()).toBe("Requesting…");
    t.apply(entries("r1", [ev.delta("m1", "Hel")], 3));
    // The answer is arriving: the request is no longer what the run is doing.
    expect(t.activity()).toBeNull();
    t.apply(entries("r1", [ev.text("m1", "Hello"), requesting()], 4));
    expect(t.activity()).toBe("Requesting…");
    t.apply(entries("r1", [ev.finished("r1")], 6));
    expect(t.activity()).toBeNull();
    expect(t.items().map((i) => i.kind)).toEqual(["user", "text", "footer"]);
  });

  it("labels other statuses and clears the label when the status goes back to idle", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("status", "info", "Status: compacting", { status: "compacting" }),
      ]),
    );
    expect(t.activity()).toBe("Compacting…");
    t.apply(entries("r1", [ev.notice("status", "info", "Status: ready", { status: null })], 3));
    expect(t.activity()).toBeNull();
    // Without the raw line, the message still says what the status is.
    t.apply(entries("r1", [ev.notice("status", "info", "Status: waiting_for_tool")], 4));
    expect(t.activity()).toBe("Waiting for tool…");
    expect(notices(t.items())).toEqual([]);
  });

  it("has no activity outside a run", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [requesting()]));
    expect(t.activity()).toBeNull();
    expect(notices(t.items())).toEqual([]);
  });

  it("hides rate limits that allow the request, shows warnings and refusals", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.notice("rate_limit", "info", "Rate limit (five hour): allowed"),
        ev.notice("rate_limit", "warning", "Rate limit (five hour): allowed warning"),
        ev.notice("rate_limit", "info", "Rate limit (five hour): allowed"),
        ev.notice("rate_limit", "error", "Rate limit (seven day): rejected"),
      ]),
    );
    expect(notices(t.items())).toEqual([
      "warning: Rate limit (five hour): allowed warning",
      "error: Rate limit (seven day): rejected",
    ]);
  });

  it("shows hooks as activity while they run, and as a line only when they fail", () => {
    const t = createTranscriptStore();
    const hook = { hook_name: "PreToolUse:Bash", hook_event: "PreToolUse" };
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("hook_started", "info", "Hook PreToolUse:Bash started", hook),
      ]),
    );
    expect(t.activity()).toBe("Running hook PreToolUse:Bash…");
    t.apply(entries("r1", [ev.notice("hook_response", "info", "Hook x success", hook)], 3));
    expect(t.activity()).toBeNull();
    t.apply(
      entries(
        "r1",
        [
          ev.notice("hook_started", "info", "Hook PreToolUse:Bash started", hook),
          ev.notice("hook_response", "warning", "Hook PreToolUse:Bash error: blocked", hook),
        ],
        4,
      ),
    );
    expect(notices(t.items())).toEqual(["warning: Hook PreToolUse:Bash error: blocked"]);
  });

  it("keeps one line for consecutive API retries, showing the latest attempt", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("api_retry", "warning", "API request failed; retrying in 1 s (attempt 1 of 10)"),
        requesting(),
        ev.notice("api_retry", "warning", "API request failed; retrying in 2 s (attempt 2 of 10)"),
        ev.text("m1", "Answer."),
        ev.notice("api_retry", "warning", "API request failed; retrying in 1 s (attempt 1 of 10)"),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "notice", "text", "notice"]);
    expect(notices(t.items())).toEqual([
      "warning: API request failed; retrying in 2 s (attempt 2 of 10)",
      "warning: API request failed; retrying in 1 s (attempt 1 of 10)",
    ]);
  });

  it("shows compaction and other notices as lines, as before", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.notice(
          "compact_boundary",
          "info",
          "Conversation compacted (auto, 155321 tokens before)",
        ),
        ev.notice("user_message", "info", "[Request interrupted by user]"),
      ]),
    );
    expect(notices(t.items())).toEqual([
      "info: Conversation compacted (auto, 155321 tokens before)",
      "info: [Request interrupted by user]",
    ]);
  });
});

describe("transcript store: model errors", () => {
  const sentence = "API Error: 500 Internal server error. This is a server-side issue.";

  it("shows a model error once: the API error line, not again from the result or the footer", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        requesting(),
        ev.notice("api_error", "error", sentence, { error: "server_error" }),
        ev.apiErrorResult(sentence),
        ev.finished("r1", "failed", `Claude Code failed: ${sentence}`),
      ]),
    );
    expect(notices(t.items())).toEqual([`error: ${sentence}`]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", outcome: "failed", message: null });
    expect(t.activity()).toBeNull();
  });

  it("shows the result's text as the error when no API error line came before it", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.apiErrorResult("Invalid API key · Fix external API key"),
        ev.finished("r1", "failed", "Claude Code failed: Invalid API key · Fix external API key"),
      ]),
    );
    expect(notices(t.items())).toEqual(["error: Invalid API key · Fix external API key"]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: null });
  });

  it("keeps the footer's sentence when the chat has not said it", () => {
    const t = createTranscriptStore();
    const message =
      "Claude Code wrote nothing for 600 s (CLAUDE_TIMEOUT_MS), so the run was stopped.";
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("api_error", "error", "an earlier error"),
        ev.finished("r1", "timed_out", message),
      ]),
    );
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message });
    // The next run starts afresh: the same error is shown again, and repeated by nothing else.
    t.apply(
      entries(
        "r2",
        [
          ev.started("r2", "again"),
          ev.apiErrorResult(sentence),
          ev.finished("r2", "failed", `Claude Code failed: ${sentence}`),
        ],
        4,
      ),
    );
    expect(notices(t.items())).toEqual(["error: an earlier error", `error: ${sentence}`]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: null });
  });

  it("does not show the CLI's internal diagnostics after an interrupted run", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.result(0.01, 2, true, ["[ede_diagnostic] result_type=user stop_reason=null"]),
        ev.finished("r1", "cancelled", "Stopped on request."),
      ]),
    );
    expect(notices(t.items())).toEqual([]);
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", message: "Stopped on request." });
  });

  it("names files on tool cards relative to the run's working folder (from init)", () => {
    const t = createTranscriptStore();
    const cwd = "/srv/ideas/i1/project";
    const init: TranscriptEvent = {
      type: "init",
      sessionId: "s1",
      model: null,
      cwd,
      tools: [],
      permissionMode: null,
      cliVersion: null,
    };
    t.apply(
      entries("r1", [
        ev.started("r1", "look"),
        init,
        ev.toolUse("tu1", "Read", { file_path: `${cwd}/notes/plan.md` }),
        ev.toolUse("tu2", "Read", { file_path: "/etc/hosts" }),
      ]),
    );
    expect(tool(t.items(), "tu1")?.summary).toBe("notes/plan.md");
    expect(tool(t.items(), "tu2")?.summary).toBe("/etc/hosts");
  });

  it("says why an error result without text stopped the run, and does not call that run completed", () => {
    const t = createTranscriptStore();
    const maxTurns: TranscriptEvent = {
      type: "result",
      subtype: "error_max_turns",
      isError: true,
      costUsd: 0.02,
      durationMs: 1200,
      numTurns: 3,
      text: null,
      errors: [],
      permissionDenials: [],
      sessionId: null,
      usage: null,
    };
    t.apply(entries("r1", [ev.started("r1", "go"), maxTurns, ev.finished("r1")]));
    const notices = t.items().filter((i) => i.kind === "notice");
    expect(notices.map((n) => n.kind === "notice" && n.message)).toEqual([
      "Claude stopped after reaching the maximum number of turns (3).",
    ]);
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.outcome).toBe("failed");
  });

  it("adds nothing for the error result a cancel ends with: the footer says it", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        ev.cancel("r1"),
        ev.result(0.01, 1, true),
        ev.finished("r1", "cancelled", "Stopped on request."),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "footer"]);
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.outcome).toBe("cancelled");
  });

  it("keeps only the stderr lines the chat did not show already in the footer's tail", () => {
    const t = createTranscriptStore();
    const finished: TranscriptEvent = {
      type: "run_finished",
      runId: "r1",
      outcome: "failed",
      exitCode: 3,
      signal: null,
      durationMs: 400,
      message: "Claude Code exited with code 3: fatal",
      stderrTail: ["warning: shown", "fatal"],
    };
    t.apply(entries("r1", [ev.started("r1", "go"), ev.stderr("warning: shown"), finished]));
    const footer = t.items().at(-1);
    expect(footer?.kind === "footer" && footer.stderrTail).toEqual(["fatal"]);
  });
});
