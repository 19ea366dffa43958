// Runs the real Claude Code CLI on this machine against a mock model (fixture capture, discovery).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** Where scripts/install-claude.sh links the pinned CLI. */
export const cachedClaudeBin = resolve(import.meta.dirname, "../../.cache/claude-code/bin/claude");

export interface ClaudeRunOptions {
  bin?: string;
  modelUrl: string;
  args: string[];
  prompt: string;
  /** Working directory; a fresh temp folder when absent. */
  cwd?: string;
  /** HOME for the CLI (its sessions live under it); a fresh temp folder when absent. */
  home?: string;
  env?: Record<string, string>;
  /** Send SIGINT once stdout contains this text (or after this many ms when a number). */
  interruptWhen?: string | number;
  timeoutMs?: number;
}

export interface ClaudeRunResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
  durationMs: number;
  cwd: string;
  home: string;
}

/** The environment the CLI needs to talk to the mock model only. */
export function mockModelEnv(modelUrl: string): Record<string, string> {
  return {
    ANTHROPIC_BASE_URL: modelUrl,
    ANTHROPIC_API_KEY: "dummy",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
  };
}

export function runClaude(opts: ClaudeRunOptions): Promise<ClaudeRunResult> {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), "claude-cwd-"));
  const home = opts.home ?? mkdtempSync(join(tmpdir(), "claude-home-"));
  mkdirSync(cwd, { recursive: true });
  const started = Date.now();
  const child = spawn(opts.bin ?? cachedClaudeBin, opts.args, {
    cwd,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: home,
      ...mockModelEnv(opts.modelUrl),
      ...opts.env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) return;
    interrupted = true;
    child.kill("SIGINT");
  };
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    if (typeof opts.interruptWhen === "string" && stdout.includes(opts.interruptWhen)) interrupt();
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin.end(opts.prompt);
  const timers: NodeJS.Timeout[] = [];
  if (typeof opts.interruptWhen === "number")
    timers.push(setTimeout(interrupt, opts.interruptWhen));
  timers.push(setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000));
  return new Promise((done, fail) => {
    child.on("error", fail);
    child.on("close", (code, signal) => {
      for (const t of timers) clearTimeout(t);
      done({ stdout, stderr, code, signal, durationMs: Date.now() - started, cwd, home });
    });
  });
}
