// The transcript fold: streamed text, replays without doubles, CLI output, local errors.
import type { TranscriptEvent } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { entries, ev } from "./fixtures.js";
import { texts } from "./items.test-helpers.js";
import { createTranscriptStore } from "./transcript.js";

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

  it("goes on with a message a restarted server follows again mid-stream (its deltas lose the message id): one message, no leftover", () => {
    const t = createTranscriptStore();
    const noId = (text: string): TranscriptEvent => ({
      type: "text_delta",
      messageId: null,
      index: 0,
      text,
      parentToolUseId: null,
    });
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.delta("m1", "Line 1. Li"),
        ev.notice("run_reattached", "info", "The server restarted while this run was going on."),
        noId("ne 2."),
      ]),
    );
    expect(texts(t.items())).toEqual(["Line 1. Line 2."]);
    t.apply(entries("r1", [ev.text("m1", "Line 1. Line 2.")], 5));
    expect(texts(t.items())).toEqual(["Line 1. Line 2."]);
    expect(t.items().map((i) => i.kind)).toEqual(["user", "text", "notice"]);
  });

  it("shows a text event without deltas as its own message", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.text("m1", "one"), ev.text("m2", "two")]));
    expect(texts(t.items())).toEqual(["one", "two"]);
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
