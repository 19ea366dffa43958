import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import { Markdown, patchChildren } from "./Markdown.js";

describe("Markdown", () => {
  afterEach(cleanup);

  it("keeps the finished blocks' nodes while the streamed text grows", () => {
    const el = document.createElement("div");
    patchChildren(el, "<p>First paragraph.</p><p>Sec</p>");
    const first = el.firstChild;
    patchChildren(el, "<p>First paragraph.</p><p>Second one.</p><pre>code</pre>");
    expect(el.firstChild).toBe(first);
    expect(el.innerHTML).toBe("<p>First paragraph.</p><p>Second one.</p><pre>code</pre>");
    // A change further up (the final text differs from the deltas) redraws from there on.
    patchChildren(el, "<p>First paragraph, edited.</p>");
    expect(el.innerHTML).toBe("<p>First paragraph, edited.</p>");
  });

  it("renders the text as it changes", () => {
    const [text, setText] = createSignal("Hello **wor");
    const { container } = render(() => <Markdown text={text} />);
    expect(container.querySelector(".md")?.textContent).toContain("Hello");
    setText("Hello **world**\n\nNext.");
    expect(container.querySelector(".md strong")?.textContent).toBe("world");
    expect(container.querySelector(".md")?.textContent).toContain("Next.");
  });
});
