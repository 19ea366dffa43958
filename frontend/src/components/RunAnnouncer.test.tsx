import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { createTranscriptStore } from "../stores/transcript.js";
import { entries, ev } from "../stores/fixtures.js";
import { RunAnnouncer } from "./RunAnnouncer.js";

describe("RunAnnouncer", () => {
  afterEach(cleanup);

  it("says how a new run ended, once, and keeps quiet about runs loaded with the history", () => {
    const t = createTranscriptStore();
    const [ready, setReady] = createSignal(false);
    render(() => <RunAnnouncer transcript={t} ready={ready()} />);
    const region = screen.getByRole("status");
    t.apply(entries("r1", [ev.started("r1", "old question"), ev.finished("r1")]));
    setReady(true);
    expect(region.textContent).toBe("");

    t.apply(entries("r2", [ev.started("r2", "new question"), ev.text("m2", "Answer.")], 3));
    expect(region.textContent).toBe("");
    t.apply(entries("r2", [ev.finished("r2", "failed", "Claude Code was not found.")], 5));
    expect(region.textContent).toBe(
      "Claude finished. Chat failed · 4.3 s. Claude Code was not found.",
    );
  });
});
