// CLI notices in the transcript: activity labels, lines worth showing, retries folded into one.
import { describe, expect, it } from "vitest";
import { entries, ev } from "./fixtures.js";
import { notices, requesting } from "./items.test-helpers.js";
import { createTranscriptStore } from "./transcript.js";

describe("transcript store: notices", () => {
  it("turns status notices into the run's activity label, never into chat lines", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "hi"), requesting()]));
    expect(t.activity()).toBe("Requesting…");
    t.apply(entries("r1", [ev.delta("m1", "Hel")], 3));
    // The answer is arriving: the request is no longer what the run is doing.
    expect(t.activity()).toBeNull();
    t.apply(entries("r1", [ev.text("m1", "Hello"), requesting()], 4));
    expect(t.activity()).toBe("Requesting…");
    t.apply(entries("r1", [ev.finished("r1")], 6));
    expect(t.activity()).toBeNull();
    expect(t.items().map((i) => i.kind)).toEqual(["user", "text", "footer"]);
  });

  it("labels other statuses and clears the label when the status goes back to idle", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("status", "info", "Status: compacting", { status: "compacting" }),
      ]),
    );
    expect(t.activity()).toBe("Compacting…");
    t.apply(entries("r1", [ev.notice("status", "info", "Status: ready", { status: null })], 3));
    expect(t.activity()).toBeNull();
    // Without the raw line, the message still says what the status is.
    t.apply(entries("r1", [ev.notice("status", "info", "Status: waiting_for_tool")], 4));
    expect(t.activity()).toBe("Waiting for tool…");
    expect(notices(t.items())).toEqual([]);
  });

  it("says in the run's activity that the link to the machine is down, until it is back: both stay lines", () => {
    const t = createTranscriptStore();
    const lost = "Lost the connection to vm. The run goes on there; reconnecting…";
    const back = "Connected to vm again: the run is followed from where it was.";
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.notice("link_lost", "warning", lost)]));
    expect(t.activity()).toBe("Connection to the machine lost, reconnecting…");
    t.apply(entries("r1", [ev.notice("link_restored", "info", back)], 3));
    expect(t.activity()).toBeNull();
    expect(notices(t.items())).toEqual([`warning: ${lost}`, `info: ${back}`]);
    // A history read after the run: the label is not left over.
    const later = createTranscriptStore();
    later.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("link_lost", "warning", lost),
        ev.finished("r1", "disconnected"),
      ]),
    );
    expect(later.activity()).toBeNull();
  });

  it("has no activity outside a run", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [requesting()]));
    expect(t.activity()).toBeNull();
    expect(notices(t.items())).toEqual([]);
  });

  it("hides rate limits that allow the request, shows warnings and refusals", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.notice("rate_limit", "info", "Rate limit (five hour): allowed"),
        ev.notice("rate_limit", "warning", "Rate limit (five hour): allowed warning"),
        ev.notice("rate_limit", "info", "Rate limit (five hour): allowed"),
        ev.notice("rate_limit", "error", "Rate limit (seven day): rejected"),
      ]),
    );
    expect(notices(t.items())).toEqual([
      "warning: Rate limit (five hour): allowed warning",
      "error: Rate limit (seven day): rejected",
    ]);
  });

  it("shows hooks as activity while they run, and as a line only when they fail", () => {
    const t = createTranscriptStore();
    const hook = { hook_name: "PreToolUse:Bash", hook_event: "PreToolUse" };
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("hook_started", "info", "Hook PreToolUse:Bash started", hook),
      ]),
    );
    expect(t.activity()).toBe("Running hook PreToolUse:Bash…");
    t.apply(entries("r1", [ev.notice("hook_response", "info", "Hook x success", hook)], 3));
    expect(t.activity()).toBeNull();
    t.apply(
      entries(
        "r1",
        [
          ev.notice("hook_started", "info", "Hook PreToolUse:Bash started", hook),
          ev.notice("hook_response", "warning", "Hook PreToolUse:Bash error: blocked", hook),
        ],
        4,
      ),
    );
    expect(notices(t.items())).toEqual(["warning: Hook PreToolUse:Bash error: blocked"]);
  });

  it("keeps one line for consecutive API retries, showing the latest attempt", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("api_retry", "warning", "API request failed; retrying in 1 s (attempt 1 of 10)"),
        requesting(),
        ev.notice("api_retry", "warning", "API request failed; retrying in 2 s (attempt 2 of 10)"),
        ev.text("m1", "Answer."),
        ev.notice("api_retry", "warning", "API request failed; retrying in 1 s (attempt 1 of 10)"),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "notice", "text", "notice"]);
    expect(notices(t.items())).toEqual([
      "warning: API request failed; retrying in 2 s (attempt 2 of 10)",
      "warning: API request failed; retrying in 1 s (attempt 1 of 10)",
    ]);
  });

  it("shows compaction and other notices as lines, as before", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.notice(
          "compact_boundary",
          "info",
          "Conversation compacted (auto, 155321 tokens before)",
        ),
        ev.notice("user_message", "info", "[Request interrupted by user]"),
      ]),
    );
    expect(notices(t.items())).toEqual([
      "info: Conversation compacted (auto, 155321 tokens before)",
      "info: [Request interrupted by user]",
    ]);
  });
});
