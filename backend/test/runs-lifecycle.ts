// The run lifecycle tests, written once and run against each executor (local and SSH).
import { createHash } from "node:crypto";
import { join } from "node:path";
import { nanoid } from "nanoid";
import { afterEach, expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import type { CliRunner } from "../src/runs/cli-runner.js";
import type { RunSettings } from "../src/runs/run.js";
import { durableLifecycle } from "./runs-durable-lifecycle.js";
import { liveSessionLifecycle } from "./runs-live-lifecycle.js";
import {
  alivePids,
  childPids,
  collect,
  echoReport,
  firstEvent,
  markerAlive,
  spec,
  testSettings,
  secretHash,
  watchCommandLines,
} from "./runs-helpers.js";

export type RunnerFactory = (settings: RunSettings) => { runner: CliRunner; executor: Executor };

export function lifecycleTests(factory: () => RunnerFactory): void {
  const open: CliRunner[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  const make = (overrides: Partial<RunSettings> = {}) => {
    const settings = testSettings(overrides);
    const made = factory()(settings);
    open.push(made.runner);
    return { ...made, settings };
  };

  it("runs chat read-only in the idea's project folder, with CLAUDE_ENV and the prompt on stdin", async () => {
    const { runner, settings } = make();
    const s = spec("@fake echo-prompt");
    const { events, finished } = await collect(runner.start(s));
    expect(finished).toMatchObject({ outcome: "completed", exitCode: 0, message: null });
    const report = echoReport(events);
    expect(report.cwd).toBe(join(settings.remoteRoot, "ideas", s.ideaId, "project"));
    expect(report.argv).toEqual([
      "-p",
      "--output-format",
      "stream-json",
      "--verbose",
      "--include-partial-messages",
      "--input-format",
      "stream-json",
      "--permission-prompt-tool",
      "stdio",
      "--tools",
      "Read,Grep,Glob",
      "--allowedTools",
      "Read,Grep,Glob",
      "--permission-mode",
      "default",
    ]);
    expect(report.env.ANTHROPIC_BASE_URL).toBe("http://127.0.0.1:9/with space's");
    const init = events.find((e) => e.type === "init");
    expect(init && init.type === "init" && [...init.tools].sort()).toEqual([
      "Glob",
      "Grep",
      "Read",
    ]);
  });

  it("keeps CLAUDE_ENV's secrets out of every command line, and the CLI still gets them", async () => {
    const secret = `sk-ant-api03-${nanoid()}`;
    const { runner } = make({ claudeEnv: { ANTHROPIC_API_KEY: secret } });
    const watch = watchCommandLines(secret);
    const { events, finished } = await collect(runner.start(spec("@fake echo-prompt")));
    const seen = await watch.stop();
    expect(finished.outcome).toBe("completed");
    expect(echoReport(events).env.ANTHROPIC_API_KEY).toBe(secretHash(secret));
    expect(seen.sawWrapper).toBe(true);
    expect(seen.holders).toEqual([]);
  });

  it("runs build with every tool and the configured permission mode", async () => {
    const { runner } = make({ buildPermissionMode: "dontAsk" });
    const { events, finished } = await collect(
      runner.start(spec("@fake echo-prompt", { mode: "build" })),
    );
    expect(finished.outcome).toBe("completed");
    const { argv } = echoReport(events);
    expect(argv).not.toContain("--tools");
    expect(argv.slice(-2)).toEqual(["--permission-mode", "dontAsk"]);
  });

  it("delivers a 1 MiB prompt full of shell syntax and Unicode byte for byte", async () => {
    const { runner } = make();
    const piece = `it's "$(rm -rf ~)" \`id\` $HOME \${X} \\ ; | & > < \r\n\ttab ünï 🚀 日本語 e\u0301 \u{10FFFF}: `;
    const prompt = `@fake echo-prompt\n${piece.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(piece)))}`;
    expect(Buffer.byteLength(prompt)).toBeGreaterThan(1024 * 1024);
    const { events, finished } = await collect(runner.start(spec(prompt)));
    expect(finished.outcome).toBe("completed");
    const report = echoReport(events);
    expect(report.stdinBytes).toBe(Buffer.byteLength(prompt));
    expect(report.stdinSha256).toBe(createHash("sha256").update(prompt).digest("hex"));
  });

  it("relays a 1 MiB line and multi-byte characters cut across chunks intact", async () => {
    const { runner } = make();
    const { events, finished } = await collect(
      runner.start(spec("@fake long-line bytes=1048576\n@fake unicode pause=5")),
    );
    expect(finished.outcome).toBe("completed");
    const result = events.find((e) => e.type === "tool_result");
    if (!result || result.type !== "tool_result" || typeof result.content !== "string") {
      throw new Error("no string tool_result");
    }
    expect(Buffer.byteLength(result.content)).toBe(1048576);
    const unicode = events.find((e) => e.type === "text" && e.text.startsWith("Unicode:"));
    expect(unicode && unicode.type === "text" && unicode.text).toContain(
      "日本語のテキスト · 中文字符 · 한국어 · emoji 👩🏽‍💻",
    );
    expect(
      events.some(
        (e) => (e.type === "text" || e.type === "text_delta") && e.text.includes("\uFFFD"),
      ),
    ).toBe(false);
  });

  it("gives a slow reader every event in order (the output is held back, not dropped)", async () => {
    const { runner } = make();
    const handle = runner.start(spec("@fake many count=3000"));
    const texts: string[] = [];
    let n = 0;
    for await (const e of handle.events) {
      if (e.type === "text") texts.push(e.text);
      if (++n % 500 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(texts).toEqual(Array.from({ length: 3000 }, (_, i) => `Event ${i + 1} of 3000.`));
  });

  it("resumes a session from the same idea folder, and reports an unknown one plainly", async () => {
    const { runner } = make();
    const first = spec("@fake hello");
    const one = await collect(runner.start(first));
    const init = one.events.find((e) => e.type === "init");
    if (!init || init.type !== "init") throw new Error("no init event");
    const two = await collect(
      runner.start(
        spec("@fake echo-prompt", { ideaId: first.ideaId, resumeSessionId: init.sessionId }),
      ),
    );
    expect(two.finished.outcome).toBe("completed");
    expect(echoReport(two.events).sessionId).toBe(init.sessionId);
    expect(echoReport(two.events).argv.slice(-2)).toEqual(["--resume", init.sessionId]);

    const unknown = "0b6f3c1e-8d2a-4f3b-9c1d-2e5f6a7b8c9d";
    const three = await collect(
      runner.start(spec("hi", { ideaId: first.ideaId, resumeSessionId: unknown })),
    );
    expect(three.finished).toMatchObject({ outcome: "failed", exitCode: 1 });
    expect(three.finished.stderrTail.join("\n")).toContain(
      `No conversation found with session ID: ${unknown}`,
    );
  });

  it("fails with the exit code and the CLI's last stderr line", async () => {
    const { runner } = make();
    const { finished } = await collect(runner.start(spec("@fake exit code=3 message=boom")));
    expect(finished).toMatchObject({ outcome: "failed", exitCode: 3, stderrTail: ["boom"] });
    expect(finished.message).toBe("Claude Code exited with code 3: boom");
  });

  it("cancels with the CLI's interrupt: it writes its interrupted result and exits, no signal needed", async () => {
    const { runner } = make();
    const handle = runner.start(spec("@fake slow interval=50 count=400"));
    const before = await firstEvent(handle, "text_delta");
    handle.cancel();
    const rest = await collect({ ...handle, events: chain(before, handle.events) });
    // CLI 2.1.330 exits 1 after an interrupted turn once its input closes; SIGINT would be 130.
    expect(rest.finished).toMatchObject({ outcome: "cancelled", exitCode: 1, signal: null });
    expect(rest.events.some((e) => e.type === "control_response" && e.subtype === "success")).toBe(
      true,
    );
    const result = rest.events.find((e) => e.type === "result");
    expect(result && result.type === "result" && result.subtype).toBe("error_during_execution");
  });

  it("cancels a run that ignores SIGINT: SIGKILL after the grace period, children included", async () => {
    const { runner, executor } = make({ cancelGraceMs: 300 });
    const s = spec("@fake ignore-sigint ms=0\n@fake child count=2");
    const handle = runner.start(s);
    const before = await firstEvent(handle, "text");
    const pids = childPids(before);
    expect(await alivePids(executor, pids)).toEqual(pids);
    handle.cancel();
    const { finished } = await collect({ ...handle, events: chain(before, handle.events) });
    expect(finished).toMatchObject({ outcome: "cancelled", exitCode: null, signal: "SIGKILL" });
    expect(await alivePids(executor, pids)).toEqual([]);
    expect(await markerAlive(executor, s.runId)).toBe(false);
  });

  it("cancels right after the start, before the wrapper reported its group: nothing is left", async () => {
    // A fresh runner: over SSH the cancel lands while the connection is still being set up.
    const { runner, executor } = make({ cancelGraceMs: 300 });
    const s = spec("@fake ignore-sigint ms=0\n@fake child count=2");
    const handle = runner.start(s);
    handle.cancel();
    const { finished } = await collect(handle);
    expect(finished.outcome).toBe("cancelled");
    expect(await markerAlive(executor, s.runId)).toBe(false);
  });

  it("stops a run that is still starting when the runner closes", async () => {
    const { runner } = make({ cancelGraceMs: 300 });
    const s = spec("@fake ignore-sigint ms=0\n@fake child count=2");
    const handle = runner.start(s);
    const closing = runner.close();
    const { finished } = await collect(handle);
    await closing;
    expect(["cancelled", "failed"]).toContain(finished.outcome);
    const checker = factory()(testSettings()).executor;
    try {
      expect(await markerAlive(checker, s.runId)).toBe(false);
    } finally {
      await checker.close();
    }
  });

  it("stops a silent run after the inactivity timeout", async () => {
    const { runner, executor } = make({ timeoutMs: 500 });
    const s = spec("@fake silence ms=60000");
    const { finished } = await collect(runner.start(s));
    expect(finished.outcome).toBe("timed_out");
    expect(finished.message).toContain("CLAUDE_TIMEOUT_MS");
    expect(await markerAlive(executor, s.runId)).toBe(false);
  });

  it("leaves nothing behind after a normal end: tool children, even in their own session", async () => {
    const { runner, executor } = make();
    const s = spec("@fake child count=3 ms=0");
    const { events, finished } = await collect(runner.start(s));
    expect(finished.outcome).toBe("completed");
    const pids = childPids(events);
    expect(pids).toHaveLength(3);
    expect(await alivePids(executor, pids)).toEqual([]);
    expect(await markerAlive(executor, s.runId)).toBe(false);
  });

  it("stops active runs when the runner closes (server shutdown)", async () => {
    const { runner } = make();
    const s = spec("@fake slow interval=50 count=1000");
    const handle = runner.start(s);
    const before = await firstEvent(handle, "text_delta");
    const closing = runner.close();
    const { finished } = await collect({ ...handle, events: chain(before, handle.events) });
    await closing;
    expect(finished.outcome).toBe("cancelled");
    const checker = factory()(testSettings()).executor;
    try {
      expect(await markerAlive(checker, s.runId)).toBe(false);
    } finally {
      await checker.close();
    }
  });

  it("after a crash, a new runner's sweep kills what the run left, in its session or not", async () => {
    // What a server that died mid-run leaves: the run's process and a tool child that started its
    // own session, both carrying the run's marker; the new server only knows the run id.
    const runId = `crash-${nanoid()}`;
    const { executor: before } = make();
    const left = await before.start(
      `export CATALYST_RUN_ID='${runId}'; setsid sleep 600 </dev/null >/dev/null 2>&1 & exec sleep 600`,
    );
    const { runner, executor } = make();
    for (let i = 0; i < 100 && !(await markerAlive(executor, runId)); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await markerAlive(executor, runId)).toBe(true);
    await runner.sweep(runId);
    expect(await markerAlive(executor, runId)).toBe(false);
    expect((await left.exit).signal).toBe("SIGKILL");
  });

  it("says plainly when the CLI is not installed, in a run and in the probe", async () => {
    const { runner, executor } = make({ claudeBin: "claude-not-installed-here" });
    const { finished } = await collect(runner.start(spec("hi")));
    const message = `claude-not-installed-here not found on ${executor.hostLabel}: install it or set CLAUDE_BIN`;
    expect(finished).toMatchObject({ outcome: "failed", exitCode: 127, message });
    expect(await runner.probe()).toEqual({
      target: executor.target,
      cliFound: false,
      cliVersion: null,
      error: message,
    });
  });

  liveSessionLifecycle(make);
  durableLifecycle(make);

  it("probes the CLI's version on the target", async () => {
    const { runner, executor } = make();
    const probe = await runner.probe();
    expect(probe).toMatchObject({ target: executor.target, cliFound: true, error: null });
    expect(probe.cliVersion).toMatch(/\d+\.\d+\.\d+/);
  });
}

/** Re-attaches events already read to the rest of the stream. */
async function* chain<T>(first: T[], rest: AsyncIterable<T>): AsyncIterable<T> {
  yield* first;
  yield* rest;
}
