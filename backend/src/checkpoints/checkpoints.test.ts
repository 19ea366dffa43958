import { describe, expect, it } from "vitest";
import { parseChanges } from "./checkpoints.js";
import { checkpointRef } from "./git-scripts.js";

describe("parseChanges", () => {
  it("joins git's name-status and numstat, renames and binary files included", () => {
    const nameStatus = [
      "M",
      "src/a.ts",
      "A",
      "b c.txt",
      "R087",
      "old.md",
      "new.md",
      "D",
      "x.png",
      "",
    ].join("\0");
    const numstat = [
      "3\t1\tsrc/a.ts",
      "2\t0\tb c.txt",
      "1\t1\t",
      "old.md",
      "new.md",
      "-\t-\tx.png",
      "",
    ].join("\0");
    expect(parseChanges(nameStatus, numstat)).toEqual([
      { path: "src/a.ts", status: "modified", additions: 3, deletions: 1, binary: false },
      { path: "b c.txt", status: "added", additions: 2, deletions: 0, binary: false },
      {
        path: "new.md",
        oldPath: "old.md",
        status: "renamed",
        additions: 1,
        deletions: 1,
        binary: false,
      },
      { path: "x.png", status: "deleted", additions: 0, deletions: 0, binary: true },
    ]);
  });

  it("keeps checkpoints under refs of their own, never a branch", () => {
    expect(checkpointRef("r-1", "before")).toBe("refs/catalyst/runs/r-1/before");
    expect(() => checkpointRef("../heads/main", "after")).toThrow(/run id/);
  });
});
