import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import type { TranscriptEvent } from "@catalyst/shared";
import { createTranscriptStore } from "../stores/transcript.js";
import { entries, ev } from "../stores/fixtures.js";
import { MessageList, PAGE } from "./MessageList.js";

describe("MessageList", () => {
  afterEach(cleanup);

  it("draws only the latest items of a long transcript and more on demand", () => {
    const t = createTranscriptStore();
    const events: TranscriptEvent[] = [];
    for (let i = 0; i < 400; i++) events.push(ev.text(`m${i}`, `message ${i}`));
    t.apply(entries("r1", events));
    const { container } = render(() => <MessageList transcript={t} />);
    expect(container.querySelectorAll(".msg.assistant")).toHaveLength(PAGE);
    expect(container.textContent).toContain("message 399");
    expect(container.textContent).toContain("message 250");
    expect(container.textContent).not.toContain("message 249");
    fireEvent.click(screen.getByText(`Show ${PAGE} earlier of ${400 - PAGE}`));
    expect(container.querySelectorAll(".msg.assistant")).toHaveLength(2 * PAGE);
  });

  it("streams text into the same message element instead of adding new ones", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.delta("m1", "Hel")]));
    const { container } = render(() => <MessageList transcript={t} />);
    const first = container.querySelector(".msg.assistant");
    t.apply(entries("r1", [ev.delta("m1", "lo **world**")], 3));
    expect(container.querySelectorAll(".msg.assistant")).toHaveLength(1);
    expect(container.querySelector(".msg.assistant")).toBe(first);
    expect(first?.querySelector("strong")?.textContent).toBe("world");
  });
});
