import type { TranscriptEntry } from "@catalyst/shared";
import { describe, expect, it } from "vitest";
import { createHub } from "./hub.js";

const entry = (seq: number): TranscriptEntry => ({
  seq,
  ts: "2026-01-01T00:00:00.000Z",
  runId: null,
  event: { type: "notice", level: "info", kind: "t", message: `m${seq}` },
});

describe("hub", () => {
  it("delivers every entry to every viewer in subscription order, even when one viewer's listener throws", () => {
    const errors: unknown[] = [];
    const hub = createHub((err) => errors.push(err));
    const got: string[] = [];
    hub.subscribe("a", (e) => got.push(`first ${e.seq}`));
    hub.subscribe("a", () => {
      throw new Error("broken viewer");
    });
    hub.subscribe("a", (e) => got.push(`third ${e.seq}`));
    hub.subscribe("b", (e) => got.push(`other idea ${e.seq}`));
    hub.publish("a", entry(1));
    hub.publish("a", entry(2));
    expect(got).toEqual(["first 1", "third 1", "first 2", "third 2"]);
    expect(errors).toHaveLength(2);
  });

  it("tells every listener an idea changed, even when one throws, and stops after unsubscribing", () => {
    const hub = createHub(() => undefined);
    const seen: string[] = [];
    hub.onIdeaChanged(() => {
      throw new Error("broken");
    });
    const stop = hub.onIdeaChanged((id, deleted) => seen.push(`${id} ${deleted}`));
    hub.ideaChanged("x");
    hub.ideaChanged("y", true);
    stop();
    hub.ideaChanged("z");
    expect(seen).toEqual(["x false", "y true"]);
  });
});
