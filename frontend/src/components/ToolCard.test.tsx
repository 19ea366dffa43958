import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { createTranscriptStore, type ToolItem } from "../stores/transcript.js";
import { entries, ev } from "../stores/fixtures.js";
import { ToolCard } from "./ToolCard.js";
import { PREVIEW_CHARS } from "./LongText.js";

function toolFrom(events: Parameters<typeof entries>[1], id: string): ToolItem {
  const t = createTranscriptStore();
  t.apply(entries("r1", events));
  const item = t.items().find((i): i is ToolItem => i.kind === "tool" && i.id === id);
  if (!item) throw new Error("no tool item");
  return item;
}

describe("ToolCard", () => {
  afterEach(cleanup);

  it("shows name and key argument, with the result folded until asked for", () => {
    const item = toolFrom(
      [
        ev.toolUse("a", "Read", { file_path: "/src/main.ts" }),
        ev.toolResult("a", "export const answer = 42;"),
      ],
      "a",
    );
    const { container } = render(() => <ToolCard item={item} />);
    expect(screen.getByText("Read")).toBeTruthy();
    expect(screen.getByText("/src/main.ts")).toBeTruthy();
    expect(container.textContent).not.toContain("answer = 42");
    fireEvent.click(screen.getByRole("button", { expanded: false }));
    expect(container.textContent).toContain("answer = 42");
  });

  it("makes errors and permission denials stand out", () => {
    const err = toolFrom(
      [ev.toolUse("b", "Bash", { command: "false" }), ev.toolResult("b", "exit 1", true)],
      "b",
    );
    const denied = toolFrom(
      [ev.toolUse("c", "Write", { file_path: "/etc/x" }), ev.denied("c", "Write")],
      "c",
    );
    const { container } = render(() => (
      <>
        <ToolCard item={err} />
        <ToolCard item={denied} />
      </>
    ));
    expect(container.querySelector(".tool-error")?.textContent).toContain("Error");
    expect(container.querySelector(".tool-denied")?.textContent).toContain("Permission denied");
  });

  it("truncates a 200 KB result and expands it on demand", () => {
    const big = "x".repeat(200 * 1024);
    const item = toolFrom(
      [ev.toolUse("d", "Read", { file_path: "/big.log" }), ev.toolResult("d", big)],
      "d",
    );
    const { container } = render(() => <ToolCard item={item} />);
    fireEvent.click(screen.getByRole("button", { expanded: false }));
    const pres = () =>
      [...container.querySelectorAll("pre")].map((p) => p.textContent?.length ?? 0);
    expect(Math.max(...pres())).toBe(PREVIEW_CHARS);
    fireEvent.click(screen.getByText(/Show all \(200\.0 KB\)/));
    expect(Math.max(...pres())).toBe(big.length);
  });

  it("groups subagent steps under the call", () => {
    const item = toolFrom(
      [
        ev.toolUse("task", "Task", { description: "look around" }),
        ev.text("s1", "sub answer", "task"),
        ev.toolUse("g", "Grep", { pattern: "TODO" }, "task"),
      ],
      "task",
    );
    const { container } = render(() => <ToolCard item={item} />);
    expect(screen.getByText("look around")).toBeTruthy();
    const group = screen.getByText("Subagent · 2 steps");
    fireEvent.click(group);
    expect(container.textContent).toContain("sub answer");
    expect(container.textContent).toContain("TODO");
  });
});
