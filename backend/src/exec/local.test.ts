import { describe, expect, it } from "vitest";
import { ExecError } from "./executor.js";
import { createLocalExecutor } from "./local.js";

describe("createLocalExecutor", () => {
  it("runs a side command and reports its output and exit code", async () => {
    const r = await createLocalExecutor().run("echo out; echo err >&2; exit 3");
    expect(r).toEqual({ code: 3, stdout: "out\n", stderr: "err\n" });
  });

  it("turns a shell that cannot start into an ExecError, for runs and side commands alike", async () => {
    const broken = createLocalExecutor({ shell: "/nonexistent/sh" });
    await expect(broken.start("true")).rejects.toBeInstanceOf(ExecError);
    await expect(broken.run("true")).rejects.toBeInstanceOf(ExecError);
  });
});
