import { describe } from "vitest";
import { createLocalExecutor } from "../src/exec/local.js";
import { createCliRunner } from "../src/runs/cli-runner.js";
import { lifecycleTests } from "./runs-lifecycle.js";

describe("runs on this machine (local executor)", () => {
  lifecycleTests(() => (settings) => {
    const executor = createLocalExecutor();
    return { executor, runner: createCliRunner({ ...settings, executor }) };
  });
});
