// The harness of the durable-run tests does what it says: a cut link is a dead TCP connection and
// a reconnect works, an sshd stopped for a while comes back with the same host key, and the real
// server process survives `kill -9` + restart on its DATA_DIR with the browser's session intact.
import { ideaMetaSchema } from "@catalyst/shared";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { hasSshd, sshExecutorFor } from "./both-transports.js";
import { killRunsUnder, runProcesses, runProcessesAfter } from "./run-processes.js";
import { connect } from "./server-ws-client.js";
import {
  loginCookie,
  sessionApi,
  sshTargetEnv,
  startServerProcess,
  type ServerProcess,
} from "./server-process.js";
import { startSshd, type SshdHandle } from "./sshd.js";

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const sock = tcpConnect(port, "127.0.0.1");
    sock.once("connect", () => (sock.destroy(), resolve(false)));
    sock.once("error", () => resolve(true));
  });

describe.skipIf(!hasSshd)("durable-run harness (real OpenSSH sshd on 127.0.0.1)", () => {
  let sshd: SshdHandle;
  let executor: Executor;
  let dir: string;
  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), "catalyst-harness-"));
    executor = sshExecutorFor(sshd);
  });
  afterAll(async () => {
    await executor?.close();
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("cutLinks kills the connections, not the listener: the channel is lost, a detached process lives on, a new connection works", async () => {
    // A process of its own session carrying a run's marker, like a detached run.
    const child = await executor.start(
      "CATALYST_RUN_ID=harness-cut setsid sleep 30 </dev/null >/dev/null 2>&1 & echo up; sleep 30",
    );
    await new Promise((r) => child.stdout.once("data", r));
    expect(sshd.links()).toBeGreaterThan(0);
    expect(sshd.cutLinks()).toBeGreaterThan(0);
    expect(await child.exit).toMatchObject({ lost: true });
    expect(runProcesses("harness-cut")).toHaveLength(1);
    expect((await executor.run("echo again")).stdout).toBe("again\n");
    for (const pid of runProcesses("harness-cut")) process.kill(pid, "SIGKILL");
  });

  it("stopFor refuses connections for a while, then sshd is back on the same port with the same host key", async () => {
    const t0 = Date.now();
    const back = sshd.stopFor(1000);
    await new Promise((r) => setTimeout(r, 300));
    expect(await refused(sshd.port)).toBe(true);
    await back;
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    // acceptNewHostKey is off: a different key would fail here.
    expect((await executor.run("echo back")).stdout).toBe("back\n");
  });

  it("killRunsUnder ends what runs working in a folder left, and nothing else", async () => {
    const under = await mkdtemp(join(dir, "under-"));
    const start = (runId: string, cwd: string) =>
      spawn("sleep", ["30"], {
        cwd,
        env: { PATH: process.env.PATH, CATALYST_RUN_ID: runId },
        detached: true,
        stdio: "ignore",
      });
    start("harness-under", under);
    const other = start("harness-other", dir);
    await expect.poll(() => runProcesses("harness-under").length).toBe(1);
    expect(killRunsUnder(under)).toBe(1);
    expect(await runProcessesAfter("harness-under", 2000)).toEqual([]);
    expect(runProcesses("harness-other")).toEqual([other.pid]);
    other.kill("SIGKILL");
  });

  describe("the server as a process", () => {
    let server: ServerProcess | undefined;
    afterAll(async () => {
      await server?.kill9();
    });

    it("kill -9 ends it at once; a restart on the same DATA_DIR and port keeps the ideas and the browser's session", async () => {
      const opts = {
        appKey: "harness-key-0123456789",
        dataDir: join(dir, "data"),
        cwd: dir,
        env: {
          ...sshTargetEnv(sshd),
          REMOTE_ROOT: join(dir, "remote"),
          CLAUDE_ENV: `HOME=${dir}`,
        },
      };
      server = await startServerProcess(opts);
      const cookie = await loginCookie(server.url, opts.appKey);
      const api = sessionApi(server.url, cookie);
      const { id } = ideaMetaSchema.parse(
        await (await api("/api/ideas", "POST", { title: "harness" })).json(),
      );
      const ws = await connect(server.url, { headers: { cookie }, origin: server.url });
      ws.send({ type: "subscribe", ideaId: id });
      await ws.waitFor((m) => m.type === "subscribed");

      const first = server;
      await first.kill9();
      expect(first.child.signalCode).toBe("SIGKILL");
      expect(() => process.kill(first.pid, 0)).toThrow();
      await ws.closed;

      server = await startServerProcess({ ...opts, port: first.port });
      expect(server.url).toBe(first.url);
      const again = sessionApi(server.url, cookie);
      const ideas = ideaMetaSchema.array().parse(await (await again("/api/ideas")).json());
      expect(ideas.map((i) => i.id)).toEqual([id]);
      const ws2 = await connect(server.url, { headers: { cookie }, origin: server.url });
      ws2.send({ type: "subscribe", ideaId: id });
      await ws2.waitFor((m) => m.type === "subscribed");
      ws2.ws.close();
      expect(await server.terminate()).toBe(0);
    }, 60_000);
  });
});
