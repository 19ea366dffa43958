import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSshExecutor, type SshExecutor } from "../src/exec/ssh.js";
import { createCliRunner, type CliRunner } from "../src/runs/cli-runner.js";
import { requireService } from "./require-service.js";
import {
  collect,
  echoReport,
  firstEvent,
  markerAlive,
  spec,
  testSettings,
} from "./runs-helpers.js";
import { lifecycleTests } from "./runs-lifecycle.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe.skipIf(!hasSshd)("runs over SSH (real OpenSSH sshd on 127.0.0.1)", () => {
  let sshd: SshdHandle;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  interface More {
    knownHostsPath?: string;
    acceptNewHostKey?: boolean;
    maxChannels?: number;
    idleMs?: number;
  }
  const executorFor = (more: More = {}): SshExecutor =>
    createSshExecutor({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      keyPath: sshd.keyPath,
      knownHostsPath: more.knownHostsPath ?? sshd.knownHostsPath,
      acceptNewHostKey: more.acceptNewHostKey ?? false,
      pool: { retryDelaysMs: [100, 300, 600], maxChannels: more.maxChannels, idleMs: more.idleMs },
    });

  describe("lifecycle", () => {
    lifecycleTests(() => (settings) => {
      const executor = executorFor();
      return { executor, runner: createCliRunner({ ...settings, executor }) };
    });
  });

  describe("connections", () => {
    const open: CliRunner[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((r) => r.close()));
    });
    const runnerWith = (executor: SshExecutor, settings = testSettings()) => {
      const runner = createCliRunner({ ...settings, executor });
      open.push(runner);
      return runner;
    };

    it("runs 25 at once on one host under the default MaxSessions by opening more connections", async () => {
      const executor = executorFor();
      const runner = runnerWith(executor);
      const runs = Array.from({ length: 25 }, () =>
        runner.start(spec("@fake slow interval=100 count=5")),
      );
      const results = await Promise.all(runs.map(collect));
      expect(results.map((r) => r.finished.outcome)).toEqual(Array(25).fill("completed"));
      for (const r of results)
        expect(r.events.filter((e) => e.type === "text_delta").length).toBeGreaterThan(0);
      // 25 runs plus their sweeps at 8 channels each need at least 4 connections; all stay warm.
      expect(executor.connections()).toBeGreaterThanOrEqual(4);
    }, 120_000);

    it("moves to another connection when the server refuses a session (MaxSessions lower than assumed)", async () => {
      const executor = executorFor({ maxChannels: 40 });
      const runner = runnerWith(executor);
      const runs = Array.from({ length: 14 }, () =>
        runner.start(spec("@fake slow interval=100 count=5")),
      );
      const results = await Promise.all(runs.map(collect));
      expect(results.map((r) => r.finished.outcome)).toEqual(Array(14).fill("completed"));
      expect(executor.connections()).toBeGreaterThanOrEqual(2);
    }, 120_000);

    it("closes idle connections and opens a new one on the next use", async () => {
      const executor = executorFor({ idleMs: 50 });
      const runner = runnerWith(executor);
      await collect(runner.start(spec("@fake hello")));
      for (let i = 0; i < 100 && executor.connections() > 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(executor.connections()).toBe(0);
      expect((await collect(runner.start(spec("@fake hello")))).finished.outcome).toBe("completed");
    });

    it("reuses the warm connection for the next run", async () => {
      const executor = executorFor();
      const runner = runnerWith(executor);
      await collect(runner.start(spec("@fake hello")));
      await collect(runner.start(spec("@fake hello")));
      expect(executor.connections()).toBe(1);
    });

    it("follows a run through sshd dying and coming back: the run goes on, every line once, the real outcome", async () => {
      const executor = executorFor();
      const runner = runnerWith(executor);
      const s = spec("@fake echo-prompt\n@fake silence ms=2500\n@fake hello");
      const handle = runner.start(s);
      const seen = await firstEvent(handle, "text");
      const pid = echoReport(seen).pid;
      sshd.kill();
      // The link dropped, not the run: it goes on on the target (sshd is on this machine).
      await new Promise((r) => setTimeout(r, 500));
      expect(() => process.kill(pid, 0)).not.toThrow();
      await sshd.restart();
      const { events, finished } = await collect({
        ...handle,
        events: (async function* () {
          yield* seen;
          yield* handle.events;
        })(),
      });
      expect(finished.outcome).toBe("completed");
      const notices = events.flatMap((e) => (e.type === "notice" ? [e.kind] : []));
      expect(notices).toEqual(["link_lost", "link_restored"]);
      // Followed on from the byte it had: nothing twice, nothing lost.
      expect(events.filter((e) => e.type === "init")).toHaveLength(1);
      expect(events.filter((e) => e.type === "result")).toHaveLength(1);
      expect(
        events.filter((e) => e.type === "text" && e.text.startsWith('{"promptBytes"')),
      ).toHaveLength(1);
      expect(runner.owedSweeps()).toBe(0);
      expect(await markerAlive(executor, s.runId)).toBe(false);
    });

    it("refuses a changed host key and shows the fingerprint it got", async () => {
      const other = join(sshd.dir, "other_host_key");
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
      const pub = readFileSync(`${other}.pub`, "utf8").split(" ");
      const knownHostsPath = join(sshd.dir, "known_hosts_changed");
      writeFileSync(knownHostsPath, `[127.0.0.1]:${sshd.port} ${pub[0]} ${pub[1]}\n`);
      const runner = runnerWith(executorFor({ knownHostsPath, acceptNewHostKey: true }));
      const { finished } = await collect(runner.start(spec("@fake hello")));
      expect(finished.outcome).toBe("failed");
      expect(finished.message).toContain("has CHANGED");
      expect(finished.message).toContain(sshd.hostKeyFingerprint);
      const probe = await runner.probe();
      expect(probe.cliFound).toBe(false);
      expect(probe.error).toContain(sshd.hostKeyFingerprint);
    });

    it("refuses a key of a type not recorded for the host, even with SSH_ACCEPT_NEW_HOST_KEY=1", async () => {
      // Only an ECDSA key is on record; this sshd presents ed25519 (as a man in the middle could).
      const other = join(sshd.dir, "other_ecdsa_key");
      execFileSync("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", other]);
      const pub = readFileSync(`${other}.pub`, "utf8").split(" ");
      const knownHostsPath = join(sshd.dir, "known_hosts_other_type");
      writeFileSync(knownHostsPath, `[127.0.0.1]:${sshd.port} ${pub[0]} ${pub[1]}\n`);
      const runner = runnerWith(executorFor({ knownHostsPath, acceptNewHostKey: true }));
      const { finished } = await collect(runner.start(spec("@fake hello")));
      expect(finished.outcome).toBe("failed");
      expect(finished.message).toContain(sshd.hostKeyFingerprint);
      expect(readFileSync(knownHostsPath, "utf8")).not.toContain("ssh-ed25519");
    });

    it("records a new host key on a line of its own when the file does not end with a newline", async () => {
      const knownHostsPath = join(sshd.dir, "known_hosts_no_newline");
      const other = join(sshd.dir, "neighbour_key");
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
      const pub = readFileSync(`${other}.pub`, "utf8").split(" ");
      writeFileSync(knownHostsPath, `neighbour.lan ${pub[0]} ${pub[1]}`);
      const tofu = runnerWith(executorFor({ knownHostsPath, acceptNewHostKey: true }));
      expect((await collect(tofu.start(spec("@fake hello")))).finished.outcome).toBe("completed");
      const find = (host: string) =>
        execFileSync("ssh-keygen", ["-F", host, "-f", knownHostsPath]).toString();
      expect(find("neighbour.lan")).toContain(pub[1]);
      expect(find(`[127.0.0.1]:${sshd.port}`)).toContain("ssh-ed25519");
    });

    it("refuses an unknown host key, or records it with SSH_ACCEPT_NEW_HOST_KEY=1", async () => {
      const knownHostsPath = join(sshd.dir, "nested", "known_hosts_empty");
      const refused = runnerWith(executorFor({ knownHostsPath }));
      const first = await collect(refused.start(spec("@fake hello")));
      expect(first.finished.outcome).toBe("failed");
      expect(first.finished.message).toContain("is not in");
      expect(first.finished.message).toContain(sshd.hostKeyFingerprint);

      const tofu = runnerWith(executorFor({ knownHostsPath, acceptNewHostKey: true }));
      expect((await collect(tofu.start(spec("@fake hello")))).finished.outcome).toBe("completed");
      const recorded = execFileSync("ssh-keygen", [
        "-F",
        `[127.0.0.1]:${sshd.port}`,
        "-f",
        knownHostsPath,
      ]);
      expect(recorded.toString()).toContain("ssh-ed25519");
      // Now known: a runner that does not accept new keys connects too.
      const strict = runnerWith(executorFor({ knownHostsPath }));
      expect((await collect(strict.start(spec("@fake hello")))).finished.outcome).toBe("completed");
    });

    it("logs in with an encrypted key and its passphrase, or through the SSH agent", async () => {
      const locked = join(sshd.dir, "locked_key");
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "s3cret pass", "-f", locked]);
      appendFileSync(join(sshd.dir, "authorized_keys"), readFileSync(`${locked}.pub`));
      const base = {
        host: sshd.host,
        port: sshd.port,
        username: sshd.user,
        knownHostsPath: sshd.knownHostsPath,
        acceptNewHostKey: false,
      };
      const withPassphrase = runnerWith(
        createSshExecutor({ ...base, keyPath: locked, passphrase: "s3cret pass" }),
      );
      expect((await collect(withPassphrase.start(spec("@fake hello")))).finished.outcome).toBe(
        "completed",
      );
      expect(() => createSshExecutor({ ...base, keyPath: locked })).toThrow(
        /set SSH_KEY_PASSPHRASE/,
      );
      expect(() => createSshExecutor({ ...base, keyPath: locked, passphrase: "wrong" })).toThrow(
        /SSH_KEY_PATH/,
      );

      const sock = join(sshd.dir, "agent.sock");
      const agent = spawn("ssh-agent", ["-D", "-a", sock], { stdio: "ignore" });
      try {
        for (let i = 0; i < 100 && !existsSync(sock); i++)
          await new Promise((r) => setTimeout(r, 20));
        execFileSync("ssh-add", ["-q", sshd.keyPath], {
          env: { ...process.env, SSH_AUTH_SOCK: sock },
        });
        const viaAgent = runnerWith(createSshExecutor({ ...base, agent: sock }));
        expect((await collect(viaAgent.start(spec("@fake hello")))).finished.outcome).toBe(
          "completed",
        );
      } finally {
        agent.kill();
      }
    });

    it("refuses a login with a key the server does not know", async () => {
      const stranger = join(sshd.dir, "stranger_key");
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]);
      const executor = createSshExecutor({
        host: sshd.host,
        port: sshd.port,
        username: sshd.user,
        keyPath: stranger,
        knownHostsPath: sshd.knownHostsPath,
        acceptNewHostKey: false,
      });
      const { finished } = await collect(runnerWith(executor).start(spec("@fake hello")));
      expect(finished.outcome).toBe("failed");
      expect(finished.message).toContain("authorized_keys");
    });
  });
});
