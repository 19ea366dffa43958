// The terminal WebSocket's tests, written once and run against each executor (local and SSH).
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ideaMetaSchema,
  terminalServerFrameSchema,
  type TerminalServerFrame,
} from "@catalyst/shared";
import { afterEach, beforeEach, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { Executor } from "../src/exec/executor.js";
import { startServer, type RunningServer } from "../src/http/start-server.js";
import { silentLogger } from "../src/deps.js";
import { alivePids } from "./runs-helpers.js";
import { FakeRunner } from "./server-fake-runner.js";
import { api, bearer, testConfig } from "./server-start.js";

interface TermClient {
  ws: WebSocket;
  frames: TerminalServerFrame[];
  text(): string;
  waitFor(re: RegExp): Promise<RegExpExecArray>;
  send(frame: unknown): void;
  closed: Promise<number>;
}

function openTerminal(
  base: string,
  ideaId: string,
  query = "cols=100&rows=30",
): Promise<TermClient> {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/api/ideas/${ideaId}/terminal?${query}`, {
    headers: bearer,
  });
  const frames: TerminalServerFrame[] = [];
  const waiters = new Set<() => void>();
  const text = () => frames.map((f) => (f.type === "output" ? f.data : "")).join("");
  ws.on("message", (data) => {
    frames.push(terminalServerFrameSchema.parse(JSON.parse(data.toString())));
    for (const w of waiters) w();
  });
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.once("error", reject);
    ws.once("open", () =>
      resolve({
        ws,
        frames,
        text,
        closed,
        send: (frame) => ws.send(JSON.stringify(frame)),
        waitFor: (re) =>
          new Promise((res, rej) => {
            const check = () => {
              const m = re.exec(text());
              if (!m) return;
              waiters.delete(check);
              clearTimeout(timer);
              res(m);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              rej(new Error(`no ${re} in the terminal: ${JSON.stringify(text().slice(-2000))}`));
            }, 20_000);
            waiters.add(check);
            check();
          }),
      }),
    );
  });
}

export function terminalTests(executorOf: () => Executor): void {
  let server: RunningServer;
  let remoteRoot: string;
  let ideaId: string;
  const open: TermClient[] = [];
  beforeEach(async () => {
    remoteRoot = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-term-")));
    const dataDir = mkdtempSync(join(tmpdir(), "catalyst-term-data-"));
    server = await startServer(
      {
        runner: new FakeRunner(),
        logger: silentLogger,
        project: { executor: executorOf(), remoteRoot },
      },
      testConfig({ DATA_DIR: dataDir }),
      { staticDir: null },
    );
    const res = await api(server.url, "/api/ideas", "POST", { title: "Term", description: "" });
    ideaId = ideaMetaSchema.parse(await res.json()).id;
  });
  afterEach(async () => {
    for (const t of open.splice(0)) t.ws.close(1000);
    await server.close();
  });
  const term = async (query?: string) => {
    const t = await openTerminal(server.url, ideaId, query);
    open.push(t);
    return t;
  };
  const waitGone = async (pids: number[]) => {
    for (let i = 0; i < 100 && (await alivePids(executorOf(), pids)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    return alivePids(executorOf(), pids);
  };

  it("opens a login shell in the idea's project folder, UTF-8 both ways, and follows a resize (stty size)", async () => {
    const t = await term();
    t.send({ type: "input", data: "pwd; stty size; echo \"ü=$(printf 'ünï 🚀')\"\r" });
    await t.waitFor(new RegExp(`${join(remoteRoot, "ideas", ideaId, "project")}\\r?\\n`));
    await t.waitFor(/30 100/);
    await t.waitFor(/ü=ünï 🚀/);
    expect(t.frames[0]).toMatchObject({ type: "ready", reattached: false });
    t.send({ type: "resize", cols: 132, rows: 43 });
    t.send({ type: "input", data: "stty size\r" });
    await t.waitFor(/43 132/);
    t.send({ type: "bogus" });
    await new Promise((r) => setTimeout(r, 100));
    expect(t.frames.some((f) => f.type === "error")).toBe(true);
  });

  it("closing the terminal ends the shell and everything it started", async () => {
    const t = await term();
    t.send({ type: "input", data: 'sleep 1234 & echo "bg=$!"; echo "sh=$$"\r' });
    const bg = Number((await t.waitFor(/bg=(\d+)/))[1]);
    const sh = Number((await t.waitFor(/sh=(\d+)/))[1]);
    expect(await alivePids(executorOf(), [bg, sh])).toHaveLength(2);
    t.ws.close(1000);
    expect(await waitGone([bg, sh])).toEqual([]);
  });

  it("the shell's own exit is reported with its code", async () => {
    const t = await term();
    t.send({ type: "input", data: "exit 7\r" });
    await t.closed;
    expect(t.frames.at(-1)).toEqual({ type: "exit", code: 7 });
  });

  it("a lost socket keeps the shell: a reconnect with its id reattaches and replays recent output", async () => {
    const first = await term();
    first.send({ type: "input", data: 'echo "marker-$((6*7))"; echo "sh=$$"\r' });
    await first.waitFor(/marker-42/);
    const sh = Number((await first.waitFor(/sh=(\d+)/))[1]);
    const ready = first.frames[0];
    if (ready?.type !== "ready") throw new Error("no ready frame");
    first.ws.close(1001);
    await first.closed;
    const again = await term(`cols=90&rows=20&terminal=${ready.terminalId}`);
    await again.waitFor(/marker-42/);
    expect(again.frames[0]).toEqual({
      type: "ready",
      terminalId: ready.terminalId,
      reattached: true,
    });
    again.send({ type: "input", data: 'echo "same=$$"\r' });
    expect(Number((await again.waitFor(/same=(\d+)/))[1])).toBe(sh);
    again.ws.close(1000);
    expect(await waitGone([sh])).toEqual([]);
  });

  it("refuses a socket from another site, one without login, and an unknown idea", async () => {
    const status = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}${path}`, { headers });
        ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
        ws.on("open", () => resolve(101));
        ws.on("error", () => {});
      });
    const path = `/api/ideas/${ideaId}/terminal`;
    expect(await status(path, { ...bearer, origin: "http://evil.example" })).toBe(403);
    expect(await status(path, {})).toBe(401);
    expect(await status(`/api/ideas/nope/terminal`, bearer)).toBe(404);
    // A broken %-escape is a bad id like any other, not an internal error.
    expect(await status(`/api/ideas/%E0%A4%A/terminal`, bearer)).toBe(404);
    expect(server.app.terminals.count()).toBe(0);
  });
}
