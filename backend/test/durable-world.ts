// The durable-run end-to-end tests' world: a real sshd on 127.0.0.1 as the target (or this
// machine), the real server as its own process (restartable on the same DATA_DIR and port), a
// browser's session (cookie + Origin) for HTTP and WebSocket, and readers of what the run left in
// DATA_DIR and on the target.
import {
  ideaMetaSchema,
  runAcceptedSchema,
  transcriptEntrySchema,
  type ServerMessage,
  type TranscriptEntry,
} from "@catalyst/shared";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { z } from "zod";
import { killRunsUnder } from "./run-processes.js";
import { connect, type TestClient } from "./server-ws-client.js";
import {
  loginCookie,
  sessionApi,
  sshTargetEnv,
  startServerProcess,
  type ServerProcess,
} from "./server-process.js";
import { startSshd, type SshdHandle } from "./sshd.js";

const APP_KEY = "durable-key-0123456789abcdef";

export interface DurableWorld {
  /** The target's sshd (a world on this machine has none). */
  readonly sshd: SshdHandle;
  dir: string;
  /** The running server (throws when there is none). */
  readonly server: ServerProcess;
  /**
   * Starts the server (again: same DATA_DIR, same port, so the browser's cookie and Origin stay
   * good); `env` on top of the world's settings.
   */
  start(env?: Record<string, string>): Promise<ServerProcess>;
  /** Starts the server unless it runs (each test begins with one, whatever the last one did). */
  ensureRunning(): Promise<void>;
  api(path: string, method?: string, body?: unknown): Promise<Response>;
  createIdea(title: string): Promise<string>;
  chat(ideaId: string, message: string): Promise<string>;
  /** A WebSocket like the page's (cookie + Origin), subscribed to the idea from `after`. */
  subscribe(ideaId: string, after?: number): Promise<TestClient & { lastSeq: number }>;
  /** The idea's transcript as written in DATA_DIR (entries as stored, `src` kept). */
  transcript(ideaId: string): StoredEntry[];
  /** The run's folder on the target (REMOTE_ROOT is a folder of this machine). */
  runFolder(ideaId: string, runId: string): string;
  close(): Promise<void>;
}

export interface StoredEntry extends TranscriptEntry {
  src?: { stream: "out" | "err"; line: number; index: number };
}

const srcSchema = z.object({
  src: z.object({ stream: z.enum(["out", "err"]), line: z.number(), index: z.number() }).optional(),
});

/** `target: "local"`: runs on this machine (no SSH_HOST), the embedded default. */
export async function makeDurableWorld(
  baseEnv: Record<string, string> = {},
  opts: { target?: "ssh" | "local" } = {},
): Promise<DurableWorld> {
  const sshd = opts.target === "local" ? null : await startSshd();
  const dir = await realpath(await mkdtemp(join(tmpdir(), "catalyst-durable-")));
  const dataDir = join(dir, "data");
  const remoteRoot = join(dir, "remote");
  let current: ServerProcess | undefined;
  let port = 0;
  let cookie = "";
  const clients: TestClient[] = [];
  const world: DurableWorld = {
    get sshd() {
      if (!sshd) throw new Error("this world runs on this machine: it has no sshd");
      return sshd;
    },
    dir,
    get server() {
      if (!current) throw new Error("start() the server first");
      return current;
    },
    async start(env = {}) {
      if (current && current.child.exitCode === null && current.child.signalCode === null) {
        throw new Error("the server is still running: kill9() or terminate() it first");
      }
      current = await startServerProcess({
        appKey: APP_KEY,
        dataDir,
        cwd: dir,
        port,
        env: {
          ...(sshd ? sshTargetEnv(sshd) : {}),
          REMOTE_ROOT: remoteRoot,
          // The fake CLI keeps its sessions under $HOME: the world's own.
          CLAUDE_ENV: `HOME=${join(dir, "home")}`,
          CANCEL_GRACE_MS: "2000",
          ...baseEnv,
          ...env,
        },
      });
      port = current.port;
      // Sessions are kept in DATA_DIR: after a restart the browser's cookie still works.
      if (!cookie) cookie = await loginCookie(current.url, APP_KEY);
      return current;
    },
    async ensureRunning() {
      if (!current || current.child.exitCode !== null || current.child.signalCode !== null) {
        await world.start();
      }
    },
    api: (path, method, body) => sessionApi(world.server.url, cookie)(path, method, body),
    async createIdea(title) {
      const res = await world.api("/api/ideas", "POST", { title });
      return ideaMetaSchema.parse(await res.json()).id;
    },
    async chat(ideaId, message) {
      const res = await world.api(`/api/ideas/${ideaId}/chat`, "POST", { message });
      expect(res.status).toBe(202);
      return runAcceptedSchema.parse(await res.json()).runId;
    },
    async subscribe(ideaId, after) {
      const url = world.server.url;
      const client = await connect(url, { headers: { cookie }, origin: url });
      clients.push(client);
      client.send({ type: "subscribe", ideaId, ...(after !== undefined ? { after } : {}) });
      const done = await client.waitFor(
        (m): m is Extract<ServerMessage, { type: "subscribed" }> =>
          m.type === "subscribed" && m.ideaId === ideaId,
      );
      return Object.assign(client, { lastSeq: done.lastSeq });
    },
    transcript(ideaId) {
      const file = join(dataDir, "ideas", ideaId, "events.ndjson");
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => {
          const raw: unknown = JSON.parse(l);
          return { ...transcriptEntrySchema.parse(raw), ...srcSchema.parse(raw) };
        });
    },
    runFolder: (ideaId, runId) => join(remoteRoot, "ideas", ideaId, "runs", runId),
    async close() {
      for (const c of clients) c.ws.terminate();
      await current?.kill9();
      // A test that failed mid-run leaves its run going on the target (detached from sshd).
      killRunsUnder(dir);
      await sshd?.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/**
 * The world of one `describe` block: made and its server started before the first test, the server
 * started again before any test whose predecessor left it stopped, closed after the last test.
 * Returns the world (there is one while the block's tests run).
 */
export function useDurableWorld(
  baseEnv: Record<string, string> = {},
  opts: { target?: "ssh" | "local" } = {},
): () => DurableWorld {
  let world: DurableWorld | undefined;
  beforeAll(async () => {
    world = await makeDurableWorld(baseEnv, opts);
    await world.start();
  }, 60_000);
  beforeEach(async () => {
    await world?.ensureRunning();
  }, 60_000);
  afterAll(async () => {
    await world?.close();
  });
  return () => {
    if (!world) throw new Error("the durable world exists only while its describe block runs");
    return world;
  };
}

/**
 * The numbered text the fake CLI writes for `@fake slow count=N`, in N deltas (cut by length, so a
 * delta may end inside a line: the deltas joined must give it back exactly).
 */
export const numberedLines = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `Line ${i + 1} of ${count}.\n`);

/** Waits until the client has received `n` text deltas of the run (the CLI is well under way). */
export async function deltasSeen(client: TestClient, runId: string, n: number): Promise<void> {
  await client.waitFor(
    () =>
      client.messages.filter(
        (m) => m.type === "event" && m.runId === runId && m.event.type === "text_delta",
      ).length >= n,
  );
}

/** Waits for the run's run_finished on the socket and returns it. */
export async function runFinishedOn(client: TestClient, runId: string) {
  const m = await client.waitFor(
    (x) => x.type === "event" && x.runId === runId && x.event.type === "run_finished",
  );
  if (m.type !== "event" || m.event.type !== "run_finished") throw new Error("not run_finished");
  return m.event;
}

/**
 * The run's transcript holds every numbered line exactly once and in order, one run_started, one
 * result (unless told otherwise), one run_finished (last but for notices), and the output positions (`src`, where written) only move on.
 */
export function expectEveryLineOnce(
  entries: StoredEntry[],
  runId: string,
  count: number,
  opts: { results?: number } = {},
): void {
  const run = entries.filter((e) => e.runId === runId);
  const deltas = run.flatMap((e) => (e.event.type === "text_delta" ? [e.event.text] : []));
  // A delta lost or written twice changes the joined text.
  expect(deltas.join("")).toBe(numberedLines(count).join(""));
  expect(deltas.length).toBeGreaterThan(count / 2);
  const types = run.map((e) => e.event.type);
  expect(types.filter((t) => t === "run_started")).toHaveLength(1);
  expect(types.filter((t) => t === "result")).toHaveLength(opts.results ?? 1);
  expect(types.filter((t) => t === "run_finished")).toHaveLength(1);
  expect(types.filter((t) => t !== "notice").at(-1)).toBe("run_finished");
  // Every decoded event carries where it came from in the run's output files (resume points).
  expect(run.filter((e) => e.event.type === "text_delta" && !e.src)).toEqual([]);
  const seen = new Map<string, [number, number]>();
  for (const { src } of run) {
    if (!src) continue;
    const before = seen.get(src.stream);
    if (before) {
      const moved = src.line > before[0] || (src.line === before[0] && src.index > before[1]);
      expect(moved, `src ${JSON.stringify(src)} after ${JSON.stringify(before)}`).toBe(true);
    }
    seen.set(src.stream, [src.line, src.index]);
  }
}

/** The kinds of the run's notices, in order. */
export const noticeKinds = (entries: StoredEntry[], runId: string): string[] =>
  entries.flatMap((e) => (e.runId === runId && e.event.type === "notice" ? [e.event.kind] : []));

/** The text deltas a client received live, after the replay its subscription began with. */
export const liveDeltas = (client: TestClient & { lastSeq: number }) =>
  client.messages.filter(
    (m) => m.type === "event" && m.seq > client.lastSeq && m.event.type === "text_delta",
  );

/** The run was picked up `times` times after a restart (a notice each) and never given up. */
export function expectReattached(entries: StoredEntry[], runId: string, times = 1): void {
  const kinds = noticeKinds(entries, runId);
  expect(kinds.filter((k) => k === "run_reattached")).toHaveLength(times);
  expect(kinds).not.toContain("run_interrupted");
}

/** Polls until `file` exists (the target writes a run's `exit` / `orphaned` itself). */
export async function fileAppears(file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
