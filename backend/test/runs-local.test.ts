import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLocalExecutor } from "../src/exec/local.js";
import { createCliRunner } from "../src/runs/cli-runner.js";
import { alivePids, collect, markerAlive, spec, testSettings } from "./runs-helpers.js";
import { lifecycleTests } from "./runs-lifecycle.js";

describe("runs on this machine (local executor)", () => {
  lifecycleTests(() => (settings) => {
    const executor = createLocalExecutor();
    return { executor, runner: createCliRunner({ ...settings, executor }) };
  });

  it("leaves nothing behind when cancelled while a login profile hangs (its timeout ends it)", async () => {
    // A HOME whose profile never finishes: the wrapper's login-shell step waits on it.
    const home = mkdtempSync(join(tmpdir(), "catalyst-hung-profile-"));
    const pidFile = join(home, "profile-pid");
    writeFileSync(join(home, ".profile"), `echo $$ > "$HOME/profile-pid"\nexec sleep 600\n`);
    const executor = createLocalExecutor({
      env: { HOME: home, SHELL: "/bin/sh", PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    const runner = createCliRunner({
      ...testSettings({ cancelGraceMs: 300, loginShellTimeoutS: 1 }),
      executor,
    });
    try {
      const s = spec("@fake hello");
      const handle = runner.start(s);
      for (let i = 0; i < 500 && !existsSync(pidFile); i++)
        await new Promise((r) => setTimeout(r, 10));
      const profilePid = Number(readFileSync(pidFile, "utf8"));
      handle.cancel();
      const { finished } = await collect(handle);
      expect(finished.outcome).toBe("cancelled");
      // Never signalled by the run (profiles are not signal-safe): its own timeout ends it.
      for (let i = 0; i < 500 && (await alivePids(executor, [profilePid])).length > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(await alivePids(executor, [profilePid])).toEqual([]);
      expect(await markerAlive(executor, s.runId)).toBe(false);
    } finally {
      await runner.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
