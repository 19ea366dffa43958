import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@solidjs/testing-library";
import type { FooterItem } from "../stores/transcript.js";
import { footerLine, RunFooter } from "./RunFooter.js";

const footer = (over: Partial<FooterItem> = {}): FooterItem => ({
  kind: "footer",
  key: "f1",
  runId: "r1",
  mode: "build",
  outcome: "completed",
  durationMs: 2100,
  turns: 3,
  costUsd: null,
  message: null,
  stderrTail: [],
  denied: 0,
  ...over,
});

describe("RunFooter", () => {
  afterEach(cleanup);

  it("says a build that completed with denied commands did not do all it was asked, in amber", () => {
    const { container } = render(() => <RunFooter item={footer({ denied: 2 })} />);
    const el = container.querySelector(".run-footer");
    expect(el?.classList.contains("partial")).toBe(true);
    expect(el?.textContent).toMatch(/^Build completed, 2 commands denied · 2\.1 s · 3 turns/);
    expect(footerLine(footer({ denied: 1 }))).toMatch(/^Build completed, 1 command denied · /);
  });

  it("keeps a run that did everything plain", () => {
    const { container } = render(() => <RunFooter item={footer()} />);
    const el = container.querySelector(".run-footer");
    expect(el?.classList.contains("partial")).toBe(false);
    expect(el?.textContent).toMatch(/^Build completed · /);
  });
});
