import { describe, expect, it } from "vitest";
import { statusAfterBuild, statusAtStart } from "./idea-status.js";

describe("idea status", () => {
  it("is building only while a build runs; a chat moves a captured idea to chatting and no further", () => {
    expect(statusAtStart("captured", "chat")).toBe("chatting");
    expect(statusAtStart("built", "chat")).toBe("built");
    expect(statusAtStart("build_failed", "chat")).toBe("build_failed");
    expect(statusAtStart("chatting", "build")).toBe("building");
    expect(statusAtStart("built", "build")).toBe("building");
  });

  it("says how the last build ended", () => {
    expect(statusAfterBuild("chatting", "completed", false)).toBe("built");
    // Exit 0 after an error result (turn limit, budget): not built.
    expect(statusAfterBuild("chatting", "completed", true)).toBe("build_failed");
    expect(statusAfterBuild("built", "failed", false)).toBe("build_failed");
    expect(statusAfterBuild("chatting", "timed_out", false)).toBe("build_failed");
    expect(statusAfterBuild("chatting", "disconnected", false)).toBe("build_failed");
    expect(statusAfterBuild("chatting", null, false)).toBe("build_failed");
    // Cancelled on request: where it was before (a stale "building" from old data is not that).
    expect(statusAfterBuild("built", "cancelled", false)).toBe("built");
    expect(statusAfterBuild("building", "cancelled", false)).toBe("chatting");
  });
});
