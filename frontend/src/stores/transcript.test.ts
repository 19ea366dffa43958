import { describe, expect, it } from "vitest";
import {
  createTranscriptStore,
  type Item,
  type StreamedItem,
  type ToolItem,
} from "./transcript.js";
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
