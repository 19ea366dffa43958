import { describe, expect, it } from "vitest";
import type { SideResult } from "../exec/executor.js";
import { silentLogger } from "../deps.js";
import { FakeExecutor } from "../runs/fakes.test-helpers.js";
import { createCheckpoints, parseChanges } from "./checkpoints.js";
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

  it("a build's 'before' snapshot waits for a revert of the same idea still putting files back", async () => {
    const executor = new FakeExecutor();
    const answers: Array<(r: SideResult) => void> = [];
    executor.run = (script) => {
      executor.sideCommands.push(script);
      return new Promise((resolve) => answers.push(resolve));
    };
    const checkpoints = createCheckpoints({ executor, remoteRoot: "~/c" }, silentLogger);
    const idea = "a".repeat(21);
    const revert = checkpoints.revert(idea, "r1");
    const mark = checkpoints.mark(idea, "r2", "before");
    const other = checkpoints.mark("b".repeat(21), "r3", "before");
    await new Promise((r) => setImmediate(r));
    // The other idea goes ahead; this idea's snapshot waits for its revert.
    expect(executor.sideCommands).toHaveLength(2);
    expect(executor.sideCommands[0]).toContain("read-tree");
    expect(executor.sideCommands[1]).toContain("'ideas/" + "b".repeat(21));
    answers[0]?.({ code: 0, stdout: "1\n", stderr: "" });
    expect(await revert).toEqual({ runId: "r1", restored: 1 });
    await new Promise((r) => setImmediate(r));
    expect(executor.sideCommands).toHaveLength(3);
    expect(executor.sideCommands[2]).toContain("refs/catalyst/runs/r2/before");
    answers[1]?.({ code: 0, stdout: "c\n", stderr: "" });
    answers[2]?.({ code: 0, stdout: "c\n", stderr: "" });
    await Promise.all([mark, other]);
  });
});
