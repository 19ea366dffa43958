// Benchmark: time to first event and events/s, over a warm SSH connection vs a local spawn of the
// same fake CLI. Prints JSON; figures are ratios against the local baseline measured in this run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { nanoid } from "nanoid";
import {
  createLocalExecutor,
  createSshExecutor,
  type Executor,
  createCliRunner,
  type CliRunner,
} from "@catalyst/backend";
import { startSshd } from "@catalyst/backend/testing/sshd";

const FAKE_CLAUDE = resolve(import.meta.dirname, "fake-claude");
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const MANY = Number(process.env.BENCH_EVENTS ?? 100_000);

function runnerOn(executor: Executor, remoteRoot: string): CliRunner {
  return createCliRunner({
    executor,
    claudeBin: FAKE_CLAUDE,
    remoteRoot,
    buildPermissionMode: "acceptEdits",
    claudeEnv: {},
    extraArgs: [],
    timeoutMs: 120_000,
    approvalTimeoutMs: 60_000,
    cancelGraceMs: 2_000,
  });
}

/** ms from start() to the first decoded CLI event, and until run_finished. */
async function timeRun(runner: CliRunner, prompt: string) {
  const t0 = performance.now();
  let first: number | null = null;
  let events = 0;
  let outcome = "";
  const handle = runner.start({
    runId: nanoid(),
    ideaId: nanoid(),
    mode: "chat",
    prompt,
    resumeSessionId: null,
  });
  for await (const e of handle.events) {
    if (e.type === "run_started") continue;
    if (e.type === "run_finished") {
      outcome = e.outcome;
      continue;
    }
    first ??= performance.now();
    events++;
  }
  if (outcome !== "completed" || first === null) throw new Error(`bench run ended ${outcome}`);
  return {
    firstMs: first - t0,
    totalMs: performance.now() - t0,
    streamMs: performance.now() - first,
    events,
  };
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
}
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

async function firstEventTimes(runner: CliRunner) {
  for (let i = 0; i < 3; i++) await timeRun(runner, "@fake hello"); // warm-up (and warm connection)
  const xs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) xs.push((await timeRun(runner, "@fake hello")).firstMs);
  return { medianMs: round(quantile(xs, 0.5)), p99Ms: round(quantile(xs, 0.99)) };
}

/** A bare command on the warm connection: channel open + the account's shell start-up + exit. */
async function commandRoundTrip(executor: Executor) {
  const xs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t0 = performance.now();
    await executor.run("true");
    xs.push(performance.now() - t0);
  }
  return { medianMs: round(quantile(xs, 0.5)), p99Ms: round(quantile(xs, 0.99)) };
}

async function throughput(runner: CliRunner) {
  const r = await timeRun(runner, `@fake many count=${MANY}`);
  return {
    events: r.events,
    seconds: round(r.streamMs / 1000, 3),
    eventsPerSec: Math.round(r.events / (r.streamMs / 1000)),
  };
}

const sshd = await startSshd();
const root = mkdtempSync(join(tmpdir(), "catalyst-bench-exec-"));
const local = runnerOn(createLocalExecutor(), root);
const sshExecutor = createSshExecutor({
  host: sshd.host,
  port: sshd.port,
  username: sshd.user,
  keyPath: sshd.keyPath,
  knownHostsPath: sshd.knownHostsPath,
  acceptNewHostKey: false,
});
const ssh = runnerOn(sshExecutor, root);
try {
  const localFirst = await firstEventTimes(local);
  const sshFirst = await firstEventTimes(ssh);
  const localNoop = await commandRoundTrip(createLocalExecutor());
  const sshNoop = await commandRoundTrip(sshExecutor);
  const localMany = await throughput(local);
  const sshMany = await throughput(ssh);
  console.log(
    JSON.stringify(
      {
        bench: "exec",
        cli: "scripts/fake-claude",
        samples: SAMPLES,
        timeToFirstEvent: {
          local: localFirst,
          sshWarm: sshFirst,
          overheadMedianMs: round(sshFirst.medianMs - localFirst.medianMs),
          overheadP99Ms: round(sshFirst.p99Ms - localFirst.p99Ms),
          ratioMedian: round(sshFirst.medianMs / localFirst.medianMs),
          ratioP99: round(sshFirst.p99Ms / localFirst.p99Ms),
        },
        // Where the overhead goes: sshd runs every command through the account's login shell
        // (`$SHELL -c`), and Debian's bash then reads ~/.bashrc, so a heavy .bashrc shows up here.
        bareCommand: { local: localNoop, sshWarm: sshNoop },
        relay: {
          local: localMany,
          ssh: sshMany,
          ratio: round(sshMany.eventsPerSec / localMany.eventsPerSec),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await Promise.all([local.close(), ssh.close()]);
  await sshd.stop();
  rmSync(root, { recursive: true, force: true });
}
