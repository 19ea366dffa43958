// The end-to-end rig: the product's server, a real sshd on 127.0.0.1 (or local runs), the real
// CLI, the mock model.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  eventsResponseSchema,
  ideaMetaSchema,
  runAcceptedSchema,
  serverMessageSchema,
  type IdeaMeta,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";
import { WebSocket } from "ws";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/deps.js";
import { startServer, type RunningServer } from "../../src/http/start-server.js";
import { runnerFromConfig } from "../../src/runs/from-config.js";
import type { Runner } from "../../src/runs/runner.js";
import { startSshd, type SshdHandle } from "../sshd.js";
import { startMockModelProcess, type MockModelProcess } from "./mock-model-process.js";

/** Where scripts/install-claude.sh links the pinned CLI. */
export const claudeBin = resolve(import.meta.dirname, "../../../.cache/claude-code/bin/claude");

export function claudeVersion(): string | null {
  if (!existsSync(claudeBin)) return null;
  const r = spawnSync(claudeBin, ["--version"], { encoding: "utf8", timeout: 20_000 });
  return r.status === 0 ? r.stdout.trim() : null;
}

const APP_KEY = "real-cli-e2e-key-0123456789abcdef";

/**
 * CLAUDE_ENV for the real CLI against the mock model: a dummy key, no traffic to other hosts, no
 * retries (a model error ends the run at once), and HOME in `home` so its session files stay there.
 */
export function mockModelCliEnv(modelUrl: string, home: string): string {
  return [
    `ANTHROPIC_BASE_URL=${modelUrl}`,
    "ANTHROPIC_API_KEY=dummy",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
    "CLAUDE_CODE_MAX_RETRIES=0",
    `HOME=${home}`,
  ].join(" ");
}

export interface Rig {
  server: RunningServer;
  runner: Runner;
  /** Null when the rig runs the CLI locally (no SSH_HOST: the embedded default). */
  sshd: SshdHandle | null;
  model: MockModelProcess;
  dataDir: string;
  remoteRoot: string;
  /** The CLI's HOME on the target, so its sessions stay out of the real home. */
  cliHome: string;
  viewer: Viewer;
  api(path: string, init?: RequestInit): Promise<Response>;
  createIdea(title: string, description?: string): Promise<IdeaMeta>;
  meta(ideaId: string): Promise<IdeaMeta>;
  /** Starts a chat or build run and returns its id. */
  start(ideaId: string, mode: "chat" | "build", message?: string): Promise<string>;
  projectDir(ideaId: string): string;
  close(): Promise<void>;
}

export async function startRig(opts: { ssh?: boolean } = {}): Promise<Rig> {
  const tmp = mkdtempSync(join(tmpdir(), "catalyst-real-cli-"));
  const dataDir = join(tmp, "data");
  const remoteRoot = join(tmp, "remote");
  const cliHome = join(tmp, "cli-home");
  const sshd = opts.ssh === false ? null : await startSshd();
  const model = await startMockModelProcess();
  const parsed = parseConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    APP_KEY,
    DATA_DIR: dataDir,
    CLAUDE_BIN: claudeBin,
    CLAUDE_ENV: mockModelCliEnv(model.url, cliHome),
    REMOTE_ROOT: remoteRoot,
    CANCEL_GRACE_MS: "5000",
    ...(sshd && {
      SSH_HOST: sshd.host,
      SSH_PORT: String(sshd.port),
      SSH_USER: sshd.user,
      SSH_KEY_PATH: sshd.keyPath,
      SSH_KNOWN_HOSTS: sshd.knownHostsPath,
    }),
  });
  if (!parsed.success) throw new Error(parsed.error);
  const runner = runnerFromConfig(parsed.data);
  const server = await startServer({ runner, logger: silentLogger }, parsed.data, {
    staticDir: null,
  });
  const viewer = await Viewer.connect(server.url, APP_KEY);

  const api = (path: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${APP_KEY}`);
    if (init.body !== undefined) headers.set("content-type", "application/json");
    return fetch(`${server.url}${path}`, { ...init, headers });
  };
  const meta = async (ideaId: string) => {
    const res = await api(`/api/ideas/${ideaId}`);
    return ideaMetaSchema.parse(await res.json());
  };

  return {
    server,
    runner,
    sshd,
    model,
    dataDir,
    remoteRoot,
    cliHome,
    viewer,
    api,
    meta,
    async createIdea(title, description) {
      const res = await api("/api/ideas", {
        method: "POST",
        body: JSON.stringify({ title, description }),
      });
      if (res.status !== 201) throw new Error(`create idea: ${res.status} ${await res.text()}`);
      const idea = ideaMetaSchema.parse(await res.json());
      await viewer.subscribe(idea.id);
      return idea;
    },
    async start(ideaId, mode, message) {
      const res = await api(`/api/ideas/${ideaId}/${mode}`, {
        method: "POST",
        body: JSON.stringify(message === undefined ? {} : { message }),
      });
      if (res.status !== 202) throw new Error(`${mode}: ${res.status} ${await res.text()}`);
      return runAcceptedSchema.parse(await res.json()).runId;
    },
    projectDir: (ideaId) => join(remoteRoot, "ideas", ideaId, "project"),
    async close() {
      viewer.close();
      await server.close();
      await runner.close();
      await model.close();
      await sshd?.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A page's view of the relay: one WebSocket, every event of the ideas it subscribed to. */
export class Viewer {
  readonly entries = new Map<string, TranscriptEntry[]>();
  private waiters: Array<() => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data) => {
      const msg = serverMessageSchema.safeParse(JSON.parse(String(data)));
      if (!msg.success || msg.data.type !== "event") return;
      const { ideaId, seq, ts, runId, event } = msg.data;
      const list = this.entries.get(ideaId) ?? [];
      list.push({ seq, ts, runId, event });
      this.entries.set(ideaId, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static connect(serverUrl: string, key: string): Promise<Viewer> {
    const ws = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/api/ws`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return new Promise((done, fail) => {
      ws.once("open", () => done(new Viewer(ws)));
      ws.once("error", fail);
    });
  }

  async subscribe(ideaId: string): Promise<void> {
    this.entries.set(ideaId, this.entries.get(ideaId) ?? []);
    this.ws.send(JSON.stringify({ type: "subscribe", ideaId }));
  }

  /** The events of one run, as the page saw them. */
  runEvents(ideaId: string, runId: string): TranscriptEvent[] {
    return (this.entries.get(ideaId) ?? []).filter((e) => e.runId === runId).map((e) => e.event);
  }

  /** Resolves with the run's events once they include one that `done` accepts. */
  waitFor(
    ideaId: string,
    runId: string,
    done: (e: TranscriptEvent) => boolean,
  ): Promise<TranscriptEvent[]> {
    return this.until(() => {
      const events = this.runEvents(ideaId, runId);
      return events.some(done) ? events : null;
    });
  }

  /** Resolves with the idea's events (all runs) once `done` accepts them. */
  waitForIdea(
    ideaId: string,
    done: (events: TranscriptEvent[]) => boolean,
  ): Promise<TranscriptEvent[]> {
    return this.until(() => {
      const events = (this.entries.get(ideaId) ?? []).map((e) => e.event);
      return done(events) ? events : null;
    });
  }

  private async until<T>(check: () => T | null): Promise<T> {
    for (;;) {
      const found = check();
      if (found !== null) return found;
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  /** The run's events up to and including its `run_finished`. */
  finished(ideaId: string, runId: string): Promise<TranscriptEvent[]> {
    return this.waitFor(ideaId, runId, (e) => e.type === "run_finished");
  }

  close(): void {
    this.ws.close();
  }
}

/** The idea's whole transcript over HTTP (what a reload shows). */
export async function transcript(rig: Rig, ideaId: string): Promise<TranscriptEntry[]> {
  const res = await rig.api(`/api/ideas/${ideaId}/events?after=0`);
  return eventsResponseSchema.parse(await res.json()).events;
}
