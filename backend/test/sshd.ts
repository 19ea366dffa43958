// Test harness: a real OpenSSH sshd on 127.0.0.1 with its own config, keys and known_hosts file.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

const SSHD = "/usr/sbin/sshd";

export interface SshdHandle {
  host: "127.0.0.1";
  port: number;
  user: string;
  /** An unencrypted ed25519 client key authorized for `user`. */
  keyPath: string;
  /** Holds the host key as `[127.0.0.1]:port ssh-ed25519 ...`. */
  knownHostsPath: string;
  /** `SHA256:...`, as `ssh-keygen -l` prints it. */
  hostKeyFingerprint: string;
  /** The harness's temp folder (configs, keys); removed by `stop()`. */
  dir: string;
  /** Stops sshd and every session process it started, and removes the temp folder. */
  stop(): Promise<void>;
  /** SIGKILLs sshd and its per-connection sshd processes (not the user's processes): a dropped link. */
  kill(): void;
  /** Starts sshd again on the same port with the same keys (after `kill()`). */
  restart(): Promise<void>;
  /**
   * Cuts every open SSH connection: SIGKILLs the per-connection sshd processes (the listener's
   * descendants named sshd), not the listener, so the client sees its TCP connection die and can
   * connect again at once. The user's processes (a detached run) live on. Returns how many died.
   */
  cutLinks(): number;
  /** The per-connection sshd processes now: one or two per open connection (privilege separation). */
  links(): number;
  /**
   * Stops sshd (listener and connections) for `ms`, then starts it again on the same port with the
   * same host key, so known_hosts still matches: a target that is down for a while.
   */
  stopFor(ms: number): Promise<void>;
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && existsSync("/usr/bin/ssh-keygen") && userInfo().username.length > 0;
}

export async function startSshd(): Promise<SshdHandle> {
  const dir = await mkdtemp(join(tmpdir(), "catalyst-sshd-"));
  const port = await freePort();
  const user = userInfo().username;
  const hostKey = join(dir, "host_ed25519");
  const keyPath = join(dir, "client_ed25519");
  keygen(hostKey);
  keygen(keyPath);
  writeFileSync(join(dir, "authorized_keys"), readFileSync(`${keyPath}.pub`));
  const hostPub = readFileSync(`${hostKey}.pub`, "utf8").trim().split(/\s+/);
  const knownHostsPath = join(dir, "known_hosts");
  writeFileSync(knownHostsPath, `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  const hostKeyFingerprint = fingerprintOf(`${hostKey}.pub`);
  const cfg = join(dir, "sshd_config");
  writeFileSync(
    cfg,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, "authorized_keys")}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "StrictModes no",
      "UsePAM no",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "LogLevel ERROR",
      "",
    ].join("\n"),
  );
  // sshd insists on its privilege-separation directory.
  mkdirSync("/run/sshd", { recursive: true });

  let proc: ChildProcess = await launch(cfg, port);
  const handle: SshdHandle = {
    host: "127.0.0.1",
    port,
    user,
    keyPath,
    knownHostsPath,
    hostKeyFingerprint,
    dir,
    kill() {
      killTree(live(proc), isSshd);
    },
    async restart() {
      proc = await launch(cfg, port);
    },
    cutLinks() {
      return killTree(live(proc), isSshd, { root: false });
    },
    links() {
      const root = live(proc);
      return root === undefined ? 0 : descendants(root).filter((p) => isSshd(p.comm)).length;
    },
    async stopFor(ms) {
      const old = proc;
      killTree(live(old), isSshd);
      // The port is free only once the listener is gone.
      if (old.exitCode === null && old.signalCode === null) {
        await new Promise((r) => old.once("exit", r));
      }
      await new Promise((r) => setTimeout(r, ms));
      proc = await launch(cfg, port);
    },
    async stop() {
      killTree(live(proc), () => true);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return handle;
}

async function launch(cfg: string, port: number): Promise<ChildProcess> {
  const proc = spawn(SSHD, ["-D", "-e", "-f", cfg], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  // Keep reading (a full pipe would block sshd), but only the tail matters.
  proc.stderr?.on("data", (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4096)));
  const deadline = Date.now() + 10_000;
  while (!(await acceptsSsh(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`sshd did not start on port ${port}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}

/** The pid while the process runs; never a pid the system may have given to someone else. */
function live(proc: ChildProcess): number | undefined {
  return proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined;
}

function keygen(path: string): void {
  execFileSync("/usr/bin/ssh-keygen", [
    "-q",
    "-t",
    "ed25519",
    "-N",
    "",
    "-C",
    "catalyst-test",
    "-f",
    path,
  ]);
}

function fingerprintOf(pubPath: string): string {
  const out = execFileSync("/usr/bin/ssh-keygen", ["-l", "-E", "sha256", "-f", pubPath], {
    encoding: "utf8",
  });
  const fp = /SHA256:\S+/.exec(out)?.[0];
  if (!fp) throw new Error(`ssh-keygen printed no fingerprint: ${out}`);
  return fp;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** True when something on the port speaks SSH (sends its banner). */
function acceptsSsh(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once("data", (d: Buffer) => done(d.toString().startsWith("SSH-")));
    sock.once("error", () => done(false));
    sock.setTimeout(1000, () => done(false));
  });
}

const isSshd = (comm: string) => comm.startsWith("sshd");

interface ProcEntry {
  pid: number;
  comm: string;
}

/** The descendants of `root`, deepest first (read from /proc: sshd is on this machine). */
function descendants(root: number): ProcEntry[] {
  const children = new Map<number, ProcEntry[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may itself contain spaces or parentheses.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), { pid: Number(entry), comm }]);
    } catch {
      // The process ended while we looked.
    }
  }
  const order: ProcEntry[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      walk(c.pid);
      order.push(c);
    }
  };
  walk(root);
  return order;
}

/**
 * SIGKILLs the descendants of `root` whose command name passes `select`, deepest first, then
 * `root` itself unless `root: false`. Returns how many it signalled.
 */
function killTree(
  root: number | undefined,
  select: (comm: string) => boolean,
  opts: { root?: boolean } = {},
): number {
  if (root === undefined) return 0;
  const targets = descendants(root)
    .filter((p) => select(p.comm))
    .map((p) => p.pid);
  if (opts.root !== false) targets.push(root);
  let killed = 0;
  for (const pid of targets) {
    try {
      process.kill(pid, "SIGKILL");
      killed++;
    } catch {
      // Already gone.
    }
  }
  return killed;
}
