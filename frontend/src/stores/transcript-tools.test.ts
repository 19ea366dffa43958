// Tool cards in the transcript: results, denials, calls left without a result, subagent groups.
import { describe, expect, it } from "vitest";
import type { TranscriptEvent } from "@catalyst/shared";
import { entries, ev } from "./fixtures.js";
import { tool } from "./items.test-helpers.js";
import { createTranscriptStore } from "./transcript.js";

describe("transcript store: tool cards", () => {
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

  it("marks a call denied as soon as its result says permission was not granted, not 'Error' until the end", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "build", "build"),
        ev.toolUse("b1", "Bash", { command: "npm test" }),
        ev.toolResult(
          "b1",
          "Claude requested permissions to use Bash, but you haven't granted it yet.",
          true,
        ),
      ]),
    );
    expect(t.activeRun()).not.toBeNull();
    expect(tool(t.items(), "b1")?.denied()).toBe(true);
    // The denial at the end is the same one: counted once.
    t.apply(entries("r1", [ev.denied("b1", "Bash"), ev.finished("r1")], 4));
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", denied: 1 });
  });

  it("marks a call the person denied amber at the answer, and counts it against 'completed'", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "build", "build"),
        ev.toolUse("b1", "Bash", { command: "rm -rf build" }),
        ev.permissionRequest("q1", "Bash", { command: "rm -rf build" }, { toolUseId: "b1" }),
        ev.permissionAnswered("q1", "deny", "once", "user", { message: "Not that" }),
      ]),
    );
    expect(tool(t.items(), "b1")?.denied()).toBe(true);
    t.apply(entries("r1", [ev.toolResult("b1", "Not that", true), ev.finished("r1")], 5));
    expect(t.items().at(-1)).toMatchObject({ kind: "footer", outcome: "completed", denied: 1 });
  });
});
