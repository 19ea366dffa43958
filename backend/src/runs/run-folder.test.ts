import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nanoid } from "nanoid";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hasSshd, onBothTransports, sshExecutorFor } from "../../test/both-transports.js";
import { startSshd, type SshdHandle } from "../../test/sshd.js";
import { watchCommandLines } from "../../test/runs-helpers.js";
import type { Executor } from "../exec/executor.js";
import { sweepScript } from "./kill-scripts.js";
import { INPUT_ACK } from "./run-input.js";
import { cleanupScript, END_INPUT_LINE, followScript, heartbeatScript } from "./run-folder.js";
import {
  echoReportOf,
  ended,
  follow,
  input,
  launch,
  launchInput,
  linesOfType,
  markedPids,
  results,
  runDir,
  shellCli,
  status,
  sweepLaunched,
  removeTempRoots,
  tempRoot,
  userLine,
  waitFor,
} from "./run-folder.test-helpers.js";
import { statusScript } from "./run-status.js";

/** No process of the run is left (the supervisor ends its own group right after the exit). */
const allGone = (ex: Executor, runId: string) =>
  waitFor(
    "no process of the run left",
    async () => (await markedPids(ex, runId)).length === 0,
    3000,
  );

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function runFolderTests(executor: () => Executor) {
  afterEach(sweepLaunched);
  it("launches the CLI detached in its own group: one turn per input line, END closes the input, exit 0, follow gives the exact bytes", async () => {
    const ex = executor();
    const w = launchInput(tempRoot());
    const secret = `sk-secret-${nanoid()}`;
    const watch = watchCommandLines(secret);
    const run = await launch(ex, w, { ANTHROPIC_API_KEY: secret });
    // The launch shell's group first (a cancel during the prelude), then the CLI's.
    expect(run.pids).toHaveLength(2);
    const dir = runDir(w);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "in")).isFIFO()).toBe(true);
    expect(readFileSync(join(dir, "pgid"), "utf8").trim()).toBe(String(run.pgid));
    const f = await follow(ex, w);
    run.child.stdin.write(userLine("@fake echo-prompt"));
    await waitFor("the first result", () => linesOfType(f.out(), "result").length === 1);
    const report = echoReportOf(f.out());
    // The CLI leads the group the launch reported, in the project folder, with the secret env.
    expect(report.pid).toBe(run.pgid);
    expect(report.cwd).toBe(join(w.remoteRoot, "ideas", w.ideaId, "project"));
    expect(report.env.ANTHROPIC_API_KEY).toBe(
      `sha256:${createHash("sha256").update(secret).digest("hex").slice(0, 16)}`,
    );
    // No command line on the target held the secret (supervisor, holder, CLI, relay...).
    const seen = await watch.stop();
    expect(seen.holders).toEqual([]);
    const live = await status(ex, w);
    expect(live).toMatchObject({ folder: true, pgid: run.pgid, exit: null, alive: true });
    run.child.stdin.write(userLine("@fake hello text=second"));
    run.child.stdin.write(`${END_INPUT_LINE}\n`);
    expect(await f.exit).toBe(0);
    expect(await run.exit).toBe(0);
    const done = await ended(ex, w);
    expect(done).toMatchObject({ exit: 0, alive: false, orphaned: false });
    const file = readFileSync(join(dir, "out.ndjson"));
    expect(linesOfType(file, "result")).toHaveLength(2);
    expect(sha(f.out())).toBe(sha(file));
    expect(done.folder && done.outBytes).toBe(file.length);
    expect(f.err().toString()).toBe(readFileSync(join(dir, "err.log"), "utf8"));
    // The launch channel carried only the relay's confirmations (two lines and the end line);
    // no secret anywhere in the folder.
    expect([...run.out()]).toEqual([INPUT_ACK, INPUT_ACK, INPUT_ACK]);
    for (const name of readdirSync(dir))
      expect(readFileSync(join(dir, name), "utf8")).not.toContain(secret);
    // The input is gone with the run: nothing waits on it.
    expect(existsSync(join(dir, "in"))).toBe(false);
    await allGone(ex, w.runId);
  });

  it("takes input over a second and a third channel after the first died mid-line, never writing a partial line", async () => {
    const ex = executor();
    const w = launchInput(tempRoot());
    const run = await launch(ex, w);
    const f = await follow(ex, w);
    run.child.stdin.write(userLine("@fake hello text=one"));
    await waitFor("turn 1", () => linesOfType(f.out(), "result").length === 1);
    // The link is cut in the middle of a line: the relay ends, the CLI's input stays open.
    run.child.stdin.write(userLine("@fake hello text=cut").slice(0, 30));
    await new Promise((r) => setTimeout(r, 200));
    run.child.detach();
    await run.exit;
    expect(await status(ex, w)).toMatchObject({ exit: null, alive: true });
    const second = await input(ex, w);
    second.child.stdin.end(userLine("@fake hello text=two"));
    expect(await second.exit).toBe(0);
    await waitFor("turn 2", () => linesOfType(f.out(), "result").length === 2);
    const third = await input(ex, w);
    third.child.stdin.write(userLine("@fake hello text=three"));
    third.child.stdin.end(`${END_INPUT_LINE}\n`);
    expect(await third.exit).toBe(0);
    expect(await f.exit).toBe(0);
    expect((await ended(ex, w)).exit).toBe(0);
    expect(results(f.out())).toEqual(["one", "two", "three"]);
    // The input is closed for good: another channel is refused, and so is an unknown run.
    // Nothing of the relays stays behind in the folder.
    expect(readdirSync(runDir(w)).filter((n) => n.startsWith("relay."))).toEqual([]);
    const late = await input(ex, w);
    late.child.stdin.end(userLine("@fake hello"));
    expect(await late.exit).toBe(4);
    const none = await input(ex, { ...w, runId: nanoid() });
    none.child.stdin.end();
    expect(await none.exit).toBe(3);
  });

  it("closes the input with END while another input channel is still connected (a half-dead link)", async () => {
    const ex = executor();
    const w = launchInput(tempRoot());
    const run = await launch(ex, w);
    const f = await follow(ex, w);
    run.child.stdin.write(userLine("@fake hello text=one"));
    await waitFor("turn 1", () => results(f.out()).length === 1);
    // The launch channel stays open and idle; END comes over a second channel.
    const second = await input(ex, w);
    second.child.stdin.write(userLine("@fake hello text=two"));
    second.child.stdin.end(`${END_INPUT_LINE}\n`);
    expect(await second.exit).toBe(0);
    expect(await f.exit).toBe(0);
    expect((await ended(ex, w)).exit).toBe(0);
    expect(results(f.out())).toEqual(["one", "two"]);
    // The idle relay was ended by END (between two lines), not by the run's sweep.
    expect(await run.exit).toBe(0);
    await allGone(ex, w.runId);
  });

  it("follows both files from byte offsets, delivering every byte written before the end", async () => {
    const ex = executor();
    const root = tempRoot();
    // Writes a burst right before it exits, and a last line without its newline.
    const cli = shellCli(
      root,
      "burst",
      [
        "read -r go",
        "printf 'err-1\\nerr-2 partial' >&2",
        'i=0; while [ $i -lt 2000 ]; do printf \'{"n":%d,"pad":"%0200d"}\\n\' $i 0; i=$((i+1)); done',
        "printf 'last-no-newline'",
      ].join("\n"),
    );
    const w = launchInput(root, { claudeBin: cli, args: [] });
    const run = await launch(ex, w);
    const f = await follow(ex, w);
    run.child.stdin.end("go\n");
    expect(await f.exit).toBe(0);
    const dir = runDir(w);
    const out = readFileSync(join(dir, "out.ndjson"));
    expect(out.length).toBeGreaterThan(400_000);
    expect(sha(f.out())).toBe(sha(out));
    expect(f.err().toString()).toBe("err-1\nerr-2 partial");
    // From an offset (as after a dropped link), and after the end: exactly the rest, at once.
    const from = await follow(ex, w, { out: 12345, err: 6 });
    expect(await from.exit).toBe(0);
    expect(sha(from.out())).toBe(sha(out.subarray(12345)));
    expect(from.err().toString()).toBe("err-2 partial");
    const s = await ended(ex, w);
    expect(s).toMatchObject({ exit: 0, outBytes: out.length, errBytes: 19 });
    if (!s.folder) throw new Error("no folder");
    expect(s.lastWriteMs).toBeGreaterThan(0);
    expect(Math.abs(s.nowMs - Date.now())).toBeLessThan(60_000);
    expect(s.nowMs).toBeGreaterThanOrEqual(s.lastWriteMs);
    // No folder: exit 3, nothing written.
    const missing = await follow(ex, { ...w, runId: nanoid() });
    expect(await missing.exit).toBe(3);
    expect(missing.out().length + missing.err().length).toBe(0);
    const r = await ex.run(statusScript(w.remoteRoot, w.ideaId, nanoid()));
    expect(r.stdout).toBe("folder=0\n");
  });

  it("lets a cancel's SIGINT reach the CLI (default disposition); after a group SIGKILL the supervisor still writes the status", async () => {
    const ex = executor();
    const root = tempRoot();
    // Reports which signals it ignores (bit 2 = SIGINT), then waits.
    const cli = shellCli(root, "waits", "grep SigIgn /proc/$$/status\nexec sleep 1000");
    const w = launchInput(root, { claudeBin: cli, args: [] });
    const run = await launch(ex, w);
    await waitFor("the report", () => readFileSync(join(runDir(w), "out.ndjson"), "utf8"));
    const ign = /SigIgn:\s*([0-9a-f]+)/.exec(readFileSync(join(runDir(w), "out.ndjson"), "utf8"));
    expect(ign && BigInt(`0x${ign[1]}`) & 2n).toBe(0n);
    expect((await ex.run(`kill -INT -${run.pgid}`)).code).toBe(0);
    expect((await ended(ex, w)).exit).toBe(130);
    // The launch relay is still connected: a line written after the end fails (no reader is
    // left), it does not wait forever.
    run.child.stdin.write(userLine("too late"));
    await run.exit;

    const w2 = launchInput(root, { claudeBin: cli, args: [] });
    const run2 = await launch(ex, w2);
    expect((await ex.run(`kill -KILL -${run2.pgid}`)).code).toBe(0);
    expect((await ended(ex, w2)).exit).toBe(137);
    // The launch relay is the only one left; today's sweep ends it.
    await ex.run(sweepScript(w2.runId, run2.pgid));
    await run2.exit;
    await allGone(ex, w2.runId);
  });

  it("marks every process of the run (supervisor, holder, watchdog, CLI, relay, follower) and today's sweep ends them all", async () => {
    const ex = executor();
    const w = launchInput(tempRoot());
    const run = await launch(ex, w);
    const f = await follow(ex, w);
    run.child.stdin.write(userLine("@fake hello"));
    await waitFor("a result", () => linesOfType(f.out(), "result").length === 1);
    const pids = await markedPids(ex, w.runId);
    const sup = Number(readFileSync(join(runDir(w), "supervisor"), "utf8"));
    const holder = Number(readFileSync(join(runDir(w), "holder"), "utf8"));
    // The relay is the launch shell (the pid it reported first), exec'd with the marker.
    expect(pids).toEqual(expect.arrayContaining([sup, holder, run.pgid, run.pids[0]]));
    const names = pids.map((p) => {
      try {
        return readFileSync(`/proc/${p}/comm`, "utf8").trim();
      } catch {
        return "gone";
      }
    });
    expect(names).toContain("tail");
    // The supervisor is not in the CLI's group: a group signal leaves it.
    const groups = await ex.run(`ps -o pgid= -p ${sup}`);
    expect(Number(groups.stdout.trim())).not.toBe(run.pgid);
    expect((await ex.run(sweepScript(w.runId, run.pgid))).code).toBe(0);
    await Promise.all([run.exit, f.exit]);
    await allGone(ex, w.runId);
  });

  it("ends a run whose heartbeat stops (orphaned), and a heartbeat keeps it going", async () => {
    const ex = executor();
    const root = tempRoot();
    const w = launchInput(root, { orphanTimeoutS: 4 });
    const run = await launch(ex, w);
    const f = await follow(ex, w);
    run.child.stdin.write(userLine("@fake hello"));
    // Two timeouts long, kept alive by a heartbeat every 300 ms (a loaded machine has slack).
    const until = Date.now() + 8000;
    while (Date.now() < until) {
      expect((await ex.run(heartbeatScript(w.remoteRoot, w.ideaId, w.runId))).code).toBe(0);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(await status(ex, w)).toMatchObject({ alive: true, exit: null, orphaned: false });
    // Then nobody follows: the watchdog ends the group and every marked process.
    const s = await ended(ex, w, 30_000);
    expect(s).toMatchObject({ orphaned: true, alive: false });
    await Promise.all([run.exit, f.exit]);
    await allGone(ex, w.runId);
    expect((await ex.run(heartbeatScript(w.remoteRoot, nanoid(), w.runId))).code).toBe(3);
  }, 60_000);

  it("cleans up the idea's ended run folders, keeping the ones asked for and every running one", async () => {
    const ex = executor();
    const root = tempRoot();
    const cli = shellCli(root, "reads", "cat >/dev/null");
    const ideaId = nanoid();
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const w = launchInput(root, { ideaId, claudeBin: cli, args: [] });
      const run = await launch(ex, w);
      runs.push({ w, run });
    }
    const [a, b, c] = runs;
    if (!a || !b || !c) throw new Error("three runs");
    a.run.child.stdin.end(`${END_INPUT_LINE}\n`);
    b.run.child.stdin.end(`${END_INPUT_LINE}\n`);
    await ended(ex, a.w);
    await ended(ex, b.w);
    expect((await ex.run(cleanupScript(root, ideaId, [b.w.runId]))).code).toBe(0);
    expect(readdirSync(join(root, "ideas", ideaId, "runs")).sort()).toEqual(
      [b.w.runId, c.w.runId].sort(),
    );
    c.run.child.stdin.end(`${END_INPUT_LINE}\n`);
    await ended(ex, c.w);
    expect((await ex.run(cleanupScript(root, ideaId, []))).code).toBe(0);
    expect(readdirSync(join(root, "ideas", ideaId, "runs"))).toEqual([]);
  });
}

onBothTransports("the run folder", runFolderTests);
afterAll(removeTempRoots);

it("refuses offsets and ids that are not", () => {
  expect(() => followScript("/r", nanoid(), "a b", { out: 0, err: 0 })).toThrow(/run id/);
  expect(() => followScript("/r", nanoid(), "x", { out: -1, err: 0 })).toThrow(/offset/);
  expect(() => cleanupScript("/r", nanoid(), ["$(x)"])).toThrow(/run id/);
});

it("cleans up a folder whose launch stopped before its supervisor started (cancelled, link cut), once it is a few minutes old", () => {
  const root = tempRoot();
  const ideaId = nanoid();
  const runs = join(root, "ideas", ideaId, "runs");
  const made = (name: string, ago: string | null) => {
    mkdirSync(join(runs, name), { recursive: true });
    writeFileSync(join(runs, name, "out.ndjson"), "");
    if (ago) execFileSync("touch", ["-d", ago, join(runs, name)]);
  };
  made("cancelled-at-launch", "10 minutes ago");
  made(".new-cut-mid-mkdir", "10 minutes ago");
  // Just made: its supervisor may be starting this very moment.
  made("launching", null);
  execFileSync("sh", ["-c", cleanupScript(root, ideaId, [])]);
  expect(readdirSync(runs)).toEqual(["launching"]);
});

describe.skipIf(!hasSshd)(
  "the run folder when the SSH link dies (real OpenSSH sshd on 127.0.0.1)",
  () => {
    let sshd: SshdHandle;
    let ex: Executor;
    beforeAll(async () => {
      sshd = await startSshd();
      ex = sshExecutorFor(sshd);
    });
    afterEach(sweepLaunched);
    afterAll(async () => {
      await ex?.close();
      await sshd?.stop();
    });

    it("keeps the run going when sshd's processes for the connection are killed; a new connection takes input and follows on", async () => {
      const w = launchInput(tempRoot());
      const run = await launch(ex, w);
      const f = await follow(ex, w);
      run.child.stdin.write(userLine("@fake hello text=before"));
      await waitFor("turn 1", () => results(f.out()).length === 1);
      const received = f.out().length;
      expect(sshd.cutLinks()).toBeGreaterThan(0);
      await Promise.all([run.exit, f.exit]);
      // Nothing of the run went with the link: the CLI still runs and its input is still open.
      const out = join(runDir(w), "out.ndjson");
      const s = await waitFor("the link back", () => status(ex, w).catch(() => null));
      expect(s).toMatchObject({ folder: true, exit: null, alive: true });
      const again = await follow(ex, { ...w }, { out: received, err: 0 });
      const more = await input(ex, w);
      more.child.stdin.write(userLine("@fake hello text=after"));
      more.child.stdin.end(`${END_INPUT_LINE}\n`);
      expect(await again.exit).toBe(0);
      expect((await ended(ex, w)).exit).toBe(0);
      expect(results(again.out())).toEqual(["after"]);
      expect(
        Buffer.concat([f.out().subarray(0, received), again.out()]).equals(readFileSync(out)),
      ).toBe(true);
    });
  },
);
