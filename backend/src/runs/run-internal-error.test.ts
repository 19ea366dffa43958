import { describe, expect, it } from "vitest";
import { childOf, finished, setup, tick } from "./run.test-helpers.js";

describe("startRun: a bug of ours during a run", () => {
  it("survives a throw inside its output handling: kills the process, ends failed once", async () => {
    const { executor, events, collected } = setup({
      loginPath: {
        get: () => null,
        set: () => {
          throw new Error("boom in a listener");
        },
        forget: () => {},
      },
    });
    const child = await childOf(executor);
    child.stderr.write("__CATALYST_LOGIN_PATH__=/usr/bin\n");
    for (let i = 0; i < 20 && executor.sideCommands.length === 0; i++) await tick();
    expect(executor.sideCommands.at(-1)).toContain("CATALYST_RUN_ID=run_1");
    child.end({ code: null, signal: "SIGKILL", lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Internal error: boom in a listener",
    });
  });

  it("kills the process when the run loop itself throws after the start", async () => {
    const { executor, events, collected } = setup({
      prepare: (ex) =>
        (ex.onStart = (c) => {
          c.stdin.write = () => {
            throw new Error("stdin broke");
          };
          c.stderr.write("__CATALYST_PID__=8\n");
        }),
    });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      message: "Internal error: stdin broke",
    });
    expect(executor.sideCommands.some((c) => c.includes("CATALYST_RUN_ID=run_1"))).toBe(true);
    expect(executor.children[0]?.detached).toBe(true);
  });
});
