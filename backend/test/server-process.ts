// The real backend (backend/src/main.ts) as its own process, for tests of what only a process
// shows: `kill -9` mid-run, a restart on the same DATA_DIR and port, SIGTERM. One node process
// (tsx as an --import loader, not the tsx CLI, which would put a second process in between), so
// the pid it reports is the server itself.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SshdHandle } from "./sshd.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(REPO, "backend", "src", "main.ts");
const TSX_LOADER = pathToFileURL(join(REPO, "node_modules", "tsx", "dist", "loader.mjs")).href;
export const FAKE_CLAUDE = join(REPO, "scripts", "fake-claude");

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  port: number;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** SIGKILL (`kill -9`: no shutdown code runs), resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (a graceful shutdown), resolves with the exit code. */
  terminate(): Promise<number | null>;
}

export interface ServerProcessOptions {
  appKey: string;
  dataDir: string;
  /** The working folder (no .env is read from it unless one is put there). */
  cwd: string;
  /** 0 (default) picks a free port; a restart passes the first one's. */
  port?: number;
  /** On top of HOST, PORT, APP_KEY, DATA_DIR and CLAUDE_BIN (the fake CLI). */
  env?: Record<string, string>;
  /** The whole environment is `env` plus PATH and HOME unless this is set (bench: the parent's). */
  inheritEnv?: boolean;
  /** How long to wait for "listening on" (start-up runs recovery first). */
  startTimeoutMs?: number;
}

/** Starts main.ts and resolves once it listens (rejects with its output if it exits first). */
export async function startServerProcess(opts: ServerProcessOptions): Promise<ServerProcess> {
  const base = opts.inheritEnv
    ? { ...process.env }
    : { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: opts.cwd };
  const child = spawn(process.execPath, ["--import", TSX_LOADER, MAIN], {
    cwd: opts.cwd,
    env: {
      ...base,
      HOST: "127.0.0.1",
      PORT: String(opts.port ?? 0),
      APP_KEY: opts.appKey,
      DATA_DIR: opts.dataDir,
      CLAUDE_BIN: FAKE_CLAUDE,
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    // Keep the tail: a long test's JSON logs need not all stay in memory.
    output = (output + d.toString()).slice(-200_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the server did not start in time:\n${output}`));
    }, opts.startTimeoutMs ?? 30_000);
    const look = () => {
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off("data", look);
      resolve(m[1]);
    };
    child.stdout?.on("data", look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening:\n${output}`));
    });
  });
  const pid = child.pid ?? 0;
  return {
    child,
    pid,
    url,
    port: Number(new URL(url).port),
    output: () => output,
    exited,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async terminate() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The settings that make the server run on the test sshd as its target. */
export function sshTargetEnv(sshd: SshdHandle): Record<string, string> {
  return {
    SSH_HOST: sshd.host,
    SSH_PORT: String(sshd.port),
    SSH_USER: sshd.user,
    SSH_KEY_PATH: sshd.keyPath,
    SSH_KNOWN_HOSTS: sshd.knownHostsPath,
    SSH_ACCEPT_NEW_HOST_KEY: "0",
  };
}

/** Logs in as a browser does (POST /api/login with the key): the session cookie to send. */
export async function loginCookie(url: string, appKey: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: "POST",
    headers: { origin: url, "content-type": "application/json" },
    body: JSON.stringify({ key: appKey }),
  });
  if (res.status !== 204) throw new Error(`login refused: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (!cookie) throw new Error("login set no cookie");
  return cookie;
}

/** A fetch with the browser session: the cookie and this server's own Origin (CSRF check). */
export function sessionApi(url: string, cookie: string) {
  return (path: string, method = "GET", body?: unknown): Promise<Response> =>
    fetch(url + path, {
      method,
      headers: { cookie, origin: url, "content-type": "application/json" },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}
