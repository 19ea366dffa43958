import { describe, expect, it } from "vitest";
import type { FooterItem, Item } from "../stores/transcript.js";
import { loginFailure } from "./ConnectAccount.js";

const footer = (over: Partial<FooterItem> = {}): FooterItem => ({
  kind: "footer",
  key: "f1",
  runId: "r1",
  mode: "chat",
  outcome: "failed",
  durationMs: 10,
  turns: 0,
  costUsd: 0,
  message: null,
  stderrTail: [],
  denied: 0,
  ...over,
});
const user: Item = { kind: "user", key: "u1", mode: "chat", text: "hi" };
const notice = (message: string): Item => ({ kind: "notice", key: "n1", level: "error", message });

describe("loginFailure", () => {
  it("finds the CLI's not-logged-in error in the footer or in the run's error notice", () => {
    const f = footer({ message: "Claude Code failed: Not logged in · Please run /login" });
    expect(loginFailure([user, f])).toBe(f);
    const g = footer();
    expect(loginFailure([user, notice("Invalid API key · Fix external API key"), g])).toBe(g);
  });

  it("says nothing for another failure, an earlier run's, or a run that completed since", () => {
    expect(loginFailure([user, footer({ message: "Claude Code failed: exit 1" })])).toBeNull();
    const old = [user, notice("Not logged in · Please run /login"), footer()];
    expect(loginFailure([...old, user, footer({ key: "f2", message: "boom" })])).toBeNull();
    expect(loginFailure([...old, user, footer({ key: "f2", outcome: "completed" })])).toBeNull();
  });
});
