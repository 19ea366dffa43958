// Scenarios of timing and process behaviour, for streaming, cancel and timeout tests.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { holdMs, int, sleep } from "./scenario-util.mjs";

export const processScenarios = {
  async slow(ctx, p) {
    const count = int(p.count, 10);
    const interval = int(p.interval, 200);
    // stamp=1 (bench:relay): one whole message per line, its text ending in ` t=<epoch ms>` taken
    // right before the write, so a reader on this machine can measure the relay's latency.
    const stamp = p.stamp === "1";
    if (ctx.out.partial && !stamp) {
      // One message whose text arrives as `count` deltas, one every `interval` ms.
      const text = Array.from({ length: count }, (_, i) => `Line ${i + 1} of ${count}.\n`).join("");
      await ctx.out.message([{ type: "text", text }], {
        stopReason: "end_turn",
        deltaDelayMs: interval,
        chunks: count,
      });
      return;
    }
    for (let i = 1; i <= count; i++) {
      if (i > 1 || interval > 0) await sleep(interval);
      const t = stamp ? ` t=${(performance.timeOrigin + performance.now()).toFixed(3)}` : "";
      await ctx.out.message([{ type: "text", text: `Line ${i} of ${count}.${t}` }], {
        stopReason: "end_turn",
      });
    }
  },

  async silence(ctx, p) {
    // The model hangs after start-up: init is out, then nothing.
    await ctx.out.ensureInit();
    await sleep(int(p.ms, 5000));
  },

  async exit(ctx, p) {
    const code = int(p.code, 1);
    process.stderr.write(`${p.message ?? `fake-claude: exiting with code ${code}`}\n`);
    ctx.stop(code);
  },

  async "ignore-sigint"(ctx, p) {
    ctx.state.ignoreSigint = true;
    await sleep(holdMs(p, ctx));
  },

  async child(ctx, p) {
    const count = Math.max(1, int(p.count, 2));
    const children = [];
    for (let i = 0; i < count; i++) {
      // The last one gets its own session (setsid), like a daemon a tool might start.
      const ownSession = p.setsid !== "0" && i === count - 1;
      const c = spawn("sleep", [p.seconds ?? "1000"], { stdio: "ignore", detached: ownSession });
      c.unref();
      children.push({ pid: c.pid, ownSession });
    }
    await ctx.out.message([{ type: "text", text: JSON.stringify({ children }) }], {
      stopReason: "end_turn",
    });
    await sleep(holdMs(p, ctx));
  },
};
