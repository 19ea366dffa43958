// The PTY seam's tests, written once and run against each executor (local and SSH).
import { afterEach, expect, it } from "vitest";
import type { Executor, PtyChild } from "../src/exec/executor.js";
import { alivePids } from "./runs-helpers.js";

/** Collects a PTY's output and waits for a pattern in it (with a deadline, for a clear failure). */
export function screen(child: PtyChild): { text(): string; waitFor(re: RegExp): Promise<string> } {
  let text = "";
  const waiters = new Set<() => void>();
  child.output.on("data", (c: Buffer) => {
    text += c.toString("utf8");
    for (const w of waiters) w();
  });
  return {
    text: () => text,
    waitFor(re) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(text);
          if (!m) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(m[0]);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${re} in the terminal's output: ${JSON.stringify(text)}`));
        }, 15_000);
        waiters.add(check);
        check();
      });
    },
  };
}

export function ptySeamTests(executorOf: () => Executor): void {
  const open: PtyChild[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.stop()));
  });
  const start = async (script: string, size = { cols: 100, rows: 30 }) => {
    const child = await executorOf().startPty(script, size);
    open.push(child);
    return child;
  };

  it("runs a script on a terminal and streams its output, UTF-8 intact, then its exit code", async () => {
    const child = await start(
      `[ -t 0 ] && [ -t 1 ] && echo "on a tty as $TERM"; printf 'ünï 🚀 日本\\n'; exit 3`,
    );
    const out = screen(child);
    expect(await child.exit).toMatchObject({ code: 3, signal: null, lost: false });
    expect(out.text()).toContain("on a tty as xterm-256color");
    expect(out.text()).toContain("ünï 🚀 日本");
  });

  it("takes keystrokes and reports the new size after a resize (stty size)", async () => {
    const child = await start(`stty size; echo ready; read line; echo "got:$line"; stty size`);
    const out = screen(child);
    await out.waitFor(/ready/);
    expect(out.text()).toContain("30 100");
    child.resize({ cols: 132, rows: 43 });
    child.write("hello é\r");
    await out.waitFor(/got:hello é/);
    await out.waitFor(/43 132/);
    expect((await child.exit).code).toBe(0);
  });

  it("stop ends the program and everything it started: jobs of an interactive shell, a nohup'd and a setsid'd child", async () => {
    const child = await start(`exec /bin/sh -i`);
    const out = screen(child);
    child.write(`sleep 1001 & echo "bg=$!"\r`);
    child.write(`nohup sleep 1002 >/dev/null 2>&1 & echo "nohup=$!"\r`);
    child.write(`setsid sleep 1003 & echo "setsid=$!"\r`);
    child.write(`echo "shell=$$"\r`);
    const pids = await Promise.all(
      ["bg", "nohup", "setsid", "shell"].map(async (k) =>
        Number((await out.waitFor(new RegExp(`${k}=(\\d+)`))).split("=")[1]),
      ),
    );
    const executor = executorOf();
    // setsid forks when its caller leads a process group: give the child a moment to exist.
    await new Promise((r) => setTimeout(r, 200));
    expect((await alivePids(executor, pids)).length).toBeGreaterThanOrEqual(3);
    await child.stop();
    const exit = await child.exit;
    expect(exit.code === null || exit.code !== 0).toBe(true);
    expect(await alivePids(executor, pids)).toEqual([]);
    const sleeps = await executor.run(`ps -eo args= | grep -E '^sleep 100[123]$' || true`);
    expect(sleeps.stdout.trim()).toBe("");
  });

  it("stop after the program ended by itself is harmless", async () => {
    const child = await start(`echo bye`);
    expect((await child.exit).code).toBe(0);
    await child.stop();
    expect((await child.exit).code).toBe(0);
  });
}
