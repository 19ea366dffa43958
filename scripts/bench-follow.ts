// Benchmark (issue #11): the CLI's output read by following its file by byte offset (the run
// detached from the channel, writing out.ndjson; a second channel runs followScript) against the
// CLI's stdout piped over the channel that started it, with the same fake CLI output, on this
// machine and over the test sshd. Prints JSON: time to first decoded event and events per second
// for each, and the ratios followed / piped measured in this run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createLocalExecutor, createSshExecutor, type Executor } from "@catalyst/backend";
import { createStreamDecoder } from "@catalyst/backend/stream";
import { startSshd } from "@catalyst/backend/testing/sshd";

const FAKE_CLAUDE = resolve(import.meta.dirname, "fake-claude");
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const MANY = Number(process.env.BENCH_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
/** The prompt goes in through stdin, as the product sends it. */
const cliLine = (scenario: string) =>
  `printf '%s\\n' ${q(`@fake ${scenario}`)} | ${q(FAKE_CLAUDE)} -p --output-format stream-json --verbose`;

/** Today's way: the CLI's stdout is the channel's stdout. */
const pipedScript = (scenario: string) => cliLine(scenario);

/**
 * The durable way's launch: the CLI detached (its own session), appending to the run folder's
 * out.ndjson, its exit status written when it ends, as the run's supervisor does.
 */
function launchScript(runDir: string, runId: string, scenario: string): string {
  const r = q(runDir);
  return [
    `mkdir -p ${r} && : >${r}/out.ndjson && : >${r}/err.log || exit 1`,
    `CATALYST_RUN_ID=${q(runId)}; export CATALYST_RUN_ID`,
    `setsid -f /bin/sh -c 'printf "%s\\n" "$$" >"$1/supervisor"; ${cliLine(scenario).replaceAll("'", `'\\''`)} >>"$1/out.ndjson" 2>>"$1/err.log"; printf "%s\\n" "$?" >"$1/exit.tmp"; mv "$1/exit.tmp" "$1/exit"' catalyst-supervisor ${r} </dev/null >/dev/null 2>&1`,
  ].join("\n");
}

/** Follows out.ndjson from byte `from` until the run has ended and everything was sent. */
function followScript(runDir: string, from: number): string {
  const r = q(runDir);
  return [
    `[ -d ${r} ] || exit 3`,
    `( while [ ! -e ${r}/exit ]; do sleep 0.2; done ) </dev/null >/dev/null 2>&1 &`,
    `tail -c +${from + 1} -s 0.2 -f --pid=$! ${r}/out.ndjson`,
  ].join("\n");
}

interface Timing {
  firstMs: number;
  streamMs: number;
  events: number;
}

/** Decodes `stdout` of a started script: ms to the first event and from it to the last. */
async function read(
  executor: Executor,
  script: string,
  t0: number,
): Promise<Timing & { code: number | null }> {
  const child = await executor.start(script);
  child.stdin.end();
  child.stderr.resume();
  const decoder = createStreamDecoder();
  let first: number | null = null;
  let last = t0;
  let events = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    const n = decoder.push(chunk).length;
    if (n === 0) continue;
    first ??= performance.now();
    last = performance.now();
    events += n;
  }
  events += decoder.end().length;
  const { code } = await child.exit;
  if (first === null) throw new Error(`no event from: ${script.slice(0, 200)}`);
  return { firstMs: first - t0, streamMs: last - first, events, code };
}

async function piped(executor: Executor, scenario: string): Promise<Timing> {
  const t0 = performance.now();
  const r = await read(executor, pipedScript(scenario), t0);
  if (r.code !== 0) throw new Error(`piped run exited ${r.code}`);
  return r;
}

let seq = 0;
async function followed(executor: Executor, root: string, scenario: string): Promise<Timing> {
  const runId = `bench-${process.pid}-${++seq}`;
  const runDir = join(root, runId);
  const t0 = performance.now();
  const launch = await executor.run(launchScript(runDir, runId, scenario));
  if (launch.code !== 0) throw new Error(`launch failed: ${launch.stderr}`);
  const r = await read(executor, followScript(runDir, 0), t0);
  if (r.code !== 0) throw new Error(`follow exited ${r.code}`);
  rmSync(runDir, { recursive: true, force: true });
  return r;
}

function quantile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? NaN;
}
const median = (xs: number[]) => quantile(xs, 0.5);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** Piped and followed interleaved, so a busy moment of the machine hits both alike. */
async function measure(executor: Executor, root: string) {
  for (let i = 0; i < 2; i++) {
    await piped(executor, "hello");
    await followed(executor, root, "hello");
  }
  const first = { piped: [] as number[], followed: [] as number[] };
  for (let i = 0; i < SAMPLES; i++) {
    first.piped.push((await piped(executor, "hello")).firstMs);
    first.followed.push((await followed(executor, root, "hello")).firstMs);
  }
  const rate = { piped: [] as number[], followed: [] as number[] };
  const wall = { piped: [] as number[], followed: [] as number[] };
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = await piped(executor, `many count=${MANY}`);
    const f = await followed(executor, root, `many count=${MANY}`);
    if (p.events !== f.events) throw new Error(`piped ${p.events} events, followed ${f.events}`);
    events = p.events;
    rate.piped.push(p.events / (p.streamMs / 1000));
    rate.followed.push(f.events / (f.streamMs / 1000));
    wall.piped.push(p.firstMs + p.streamMs);
    wall.followed.push(f.firstMs + f.streamMs);
  }
  const ttfe = (xs: number[]) => ({
    medianMs: round(median(xs)),
    p99Ms: round(quantile(xs, 0.99)),
  });
  const eps = (xs: number[]) => Math.round(median(xs));
  return {
    timeToFirstEvent: {
      piped: ttfe(first.piped),
      followed: ttfe(first.followed),
      ratioMedian: round(median(first.followed) / median(first.piped)),
      ratioP99: round(quantile(first.followed, 0.99) / quantile(first.piped, 0.99)),
    },
    eventsPerSec: {
      events,
      piped: eps(rate.piped),
      followed: eps(rate.followed),
      ratio: round(median(rate.followed) / median(rate.piped)),
    },
    launchToLastEvent: {
      pipedMs: Math.round(median(wall.piped)),
      followedMs: Math.round(median(wall.followed)),
      ratio: round(median(wall.followed) / median(wall.piped)),
    },
  };
}

const sshd = await startSshd();
const root = mkdtempSync(join(tmpdir(), "catalyst-bench-follow-"));
const ssh = createSshExecutor({
  host: sshd.host,
  port: sshd.port,
  username: sshd.user,
  keyPath: sshd.keyPath,
  knownHostsPath: sshd.knownHostsPath,
  acceptNewHostKey: false,
});
try {
  const local = await measure(createLocalExecutor(), root);
  const overSsh = await measure(ssh, root);
  console.log(
    JSON.stringify(
      {
        bench: "follow",
        cli: "scripts/fake-claude",
        samples: SAMPLES,
        throughputRuns: RUNS,
        local,
        ssh: overSsh,
        notes:
          "followed = the CLI detached writing out.ndjson, read by a second channel following the file by byte offset; piped = the CLI's stdout on the channel that started it. Ratios are followed / piped (time: higher is slower; events/s: lower is slower), medians; time to first event counts from launch to the first decoded event (for followed: the launch channel, then the follow channel); events/s from the first decoded event to the last (a follower that starts late reads what is already written at file speed); launchToLastEvent is the whole stream's wall time.",
      },
      null,
      2,
    ),
  );
} finally {
  await ssh.close();
  await sshd.stop();
  rmSync(root, { recursive: true, force: true });
}
