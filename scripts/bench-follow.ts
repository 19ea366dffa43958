// Benchmark (issue #11): the CLI's output read by following its file by byte offset (the durable
// launch: the CLI detached under its supervisor, writing out.ndjson; a second channel runs
// followScript) against the CLI's stdout piped over the channel that started it (the wrapper of
// before), the product's own scripts both, with the same fake CLI output, on this machine and
// over the test sshd. Prints JSON: time to first decoded event, events per second and the whole
// stream's wall time for each, and the ratios followed / piped measured in this run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  buildLaunchScript,
  buildWrapperScript,
  createLocalExecutor,
  createSshExecutor,
  END_INPUT_LINE,
  envHeader,
  EXEC_MARKER,
  followScript,
  type Executor,
} from "@catalyst/backend";
import { createStreamDecoder } from "@catalyst/backend/stream";
import { startSshd } from "@catalyst/backend/testing/sshd";
import type { Readable } from "node:stream";

const FAKE_CLAUDE = resolve(import.meta.dirname, "fake-claude");
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const MANY = Number(process.env.BENCH_EVENTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDEA = "benchFollowIdea000000"; // an idea id: 21 characters
const ARGS = ["-p", "--output-format", "stream-json", "--verbose"];

interface Timing {
  firstMs: number;
  streamMs: number;
  events: number;
}

/** Decodes a channel's stdout: ms from `t0` to the first event, and from it to the last. */
async function decode(stdout: Readable, t0: number): Promise<Timing> {
  const decoder = createStreamDecoder();
  let first: number | null = null;
  let last = t0;
  let events = 0;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    const n = decoder.push(chunk).length;
    if (n === 0) continue;
    first ??= performance.now();
    last = performance.now();
    events += n;
  }
  events += decoder.end().length;
  if (first === null) throw new Error("no event");
  return { firstMs: first - t0, streamMs: last - first, events };
}

let seq = 0;
const wrapperInput = (root: string) => ({
  runId: `bench-${process.pid}-${++seq}`,
  ideaId: IDEA,
  remoteRoot: root,
  claudeBin: FAKE_CLAUDE,
  args: ARGS,
  // Both skip the login shell alike: what differs is only how the output comes back.
  knownPath: process.env.PATH ?? "/usr/bin:/bin",
});

/** Before #11: the CLI's stdout is the launch channel's stdout. */
async function piped(executor: Executor, root: string, scenario: string): Promise<Timing> {
  const t0 = performance.now();
  const child = await executor.start(buildWrapperScript(wrapperInput(root)));
  child.stderr.resume();
  child.stdin.end(Buffer.concat([envHeader({}), Buffer.from(`@fake ${scenario}\n`)]));
  const r = await decode(child.stdout, t0);
  const exit = await child.exit;
  if (exit.code !== 0) throw new Error(`piped run exited ${exit.code}`);
  return r;
}

/** Since #11: launch (the channel then relays input), then follow out.ndjson from byte 0. */
async function followed(executor: Executor, root: string, scenario: string): Promise<Timing> {
  const w = wrapperInput(root);
  const t0 = performance.now();
  const launch = await executor.start(buildLaunchScript(w));
  launch.stdout.resume();
  launch.stdin.end(
    Buffer.concat([envHeader({}), Buffer.from(`@fake ${scenario}\n${END_INPUT_LINE}\n`)]),
  );
  // Like the runner: the follow channel opens once the launch says the CLI runs.
  await new Promise<void>((resolve, reject) => {
    let err = "";
    const onData = (d: Buffer) => {
      err += d.toString();
      if (!err.includes(EXEC_MARKER)) return;
      launch.stderr.off("data", onData);
      launch.stderr.resume();
      resolve();
    };
    launch.stderr.on("data", onData);
    void launch.exit.then(({ code }) => reject(new Error(`launch exited ${code}: ${err}`)));
  });
  const follow = await executor.start(followScript(root, IDEA, w.runId, { out: 0, err: 0 }));
  follow.stdin.end();
  follow.stderr.resume();
  const r = await decode(follow.stdout, t0);
  const exit = await follow.exit;
  if (exit.code !== 0) throw new Error(`follow exited ${exit.code}`);
  await launch.exit;
  rmSync(join(root, "ideas", IDEA, "runs", w.runId), { recursive: true, force: true });
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
    await piped(executor, root, "hello");
    await followed(executor, root, "hello");
  }
  const first = { piped: [] as number[], followed: [] as number[] };
  for (let i = 0; i < SAMPLES; i++) {
    first.piped.push((await piped(executor, root, "hello")).firstMs);
    first.followed.push((await followed(executor, root, "hello")).firstMs);
  }
  const rate = { piped: [] as number[], followed: [] as number[] };
  const wall = { piped: [] as number[], followed: [] as number[] };
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = await piped(executor, root, `many count=${MANY}`);
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
          "followed = buildLaunchScript (the CLI detached under its supervisor, writing out.ndjson), then a second channel running followScript from byte 0 once the launch printed EXEC_MARKER; piped = buildWrapperScript, the CLI's stdout on the channel that started it. Ratios are followed / piped (time: higher is slower; events/s: lower is slower), medians; time to first event counts from launch to the first decoded event (for followed: the launch channel, then the follow channel); events/s from the first decoded event to the last (a follower that starts late reads what is already written at file speed); launchToLastEvent is the whole stream's wall time.",
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
