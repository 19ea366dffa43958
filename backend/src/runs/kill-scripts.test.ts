import { spawn, spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { aliveScript, sweepScript } from "./kill-scripts.js";

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
});

/** A shell leading its own process group, with a child that clears its environment. */
function group(env: NodeJS.ProcessEnv): { pgid: number; childPid: Promise<number> } {
  const sh = spawn("/bin/sh", ["-c", "env -i /bin/sleep 60 & echo $!; exec /bin/sleep 60"], {
    detached: true,
    env: { PATH: "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "ignore"],
  });
  if (!sh.pid) throw new Error("no pid");
  started.push(sh.pid);
  const childPid = new Promise<number>((resolve) =>
    sh.stdout.once("data", (d: Buffer) => resolve(Number(d.toString().trim()))),
  );
  return { pgid: sh.pid, childPid };
}

/** Alive and not a zombie. */
function alive(pid: number): boolean {
  const r = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  const stat = r.stdout.trim();
  return stat !== "" && !stat.startsWith("Z");
}

async function until(cond: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

const sweep = (script: string) => spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" });

describe("sweepScript", () => {
  it("kills the group and the run's marked processes", async () => {
    const g = group({ CATALYST_RUN_ID: "run_a" });
    const child = await g.childPid;
    expect(sweep(sweepScript("run_a", g.pgid)).status).toBe(0);
    expect(await until(() => !alive(g.pgid) && !alive(child))).toBe(true);
  });

  it("long after the run, leaves a group alone that holds no process of the run (its id may be reused)", async () => {
    const g = group({});
    const child = await g.childPid;
    sweep(sweepScript("run_b", g.pgid, { verifyGroup: true }));
    expect(alive(g.pgid)).toBe(true);
    expect(alive(child)).toBe(true);
  });

  it("long after the run, still kills its group, members without the marker included", async () => {
    const g = group({ CATALYST_RUN_ID: "run_c" });
    const child = await g.childPid;
    sweep(sweepScript("run_c", g.pgid, { verifyGroup: true }));
    expect(await until(() => !alive(g.pgid) && !alive(child))).toBe(true);
  });

  it("also kills what a marked process forked while the sweep was looking (a second pass)", async () => {
    // Forks marked processes as fast as it can: some are born after the first pass listed /proc.
    const sh = spawn("/bin/sh", ["-c", "while :; do /bin/sleep 60 & done"], {
      detached: true,
      env: { PATH: "/usr/bin:/bin", CATALYST_RUN_ID: "run_d" },
      stdio: "ignore",
    });
    if (!sh.pid) throw new Error("no pid");
    started.push(sh.pid);
    await new Promise((r) => setTimeout(r, 200));
    // No group id: only the marker finds them, as for tool children in their own session.
    sweep(sweepScript("run_d", null));
    expect(sweep(aliveScript("run_d", null)).status).toBe(1);
  });
});
