import { describe, expect, it } from "vitest";
import type { TranscriptEvent } from "@catalyst/shared";
import { noticeView } from "./notice-view.js";

type NoticeEvent = Extract<TranscriptEvent, { type: "notice" }>;

function notice(kind: string, data: Record<string, unknown>, level: NoticeEvent["level"] = "info") {
  return { type: "notice", parentToolUseId: null, level, kind, message: kind, data } as const;
}

describe("noticeView for subagent bookkeeping", () => {
  it("shows a started subagent as the run's activity, with its description", () => {
    expect(noticeView(notice("task_started", { description: "Look around" }))).toEqual({
      show: "activity",
      label: "Subagent: Look around…",
    });
  });

  it("hides task updates and clears the label when the subagent completed", () => {
    expect(noticeView(notice("task_updated", { patch: { status: "completed" } }))).toEqual({
      show: "none",
    });
    expect(noticeView(notice("task_notification", { status: "completed" }))).toEqual({
      show: "activity",
      label: null,
    });
  });

  it("keeps a subagent that did not complete as a line in the chat", () => {
    expect(noticeView(notice("task_notification", { status: "failed" }, "warning"))).toEqual({
      show: "line",
    });
  });

  it("leaves notices it does not know as lines", () => {
    expect(noticeView(notice("compact_boundary", {}))).toEqual({ show: "line" });
  });
});
