// The SSH Executor adapter: each command is an exec channel on a pooled ssh2 connection.
import { readFileSync } from "node:fs";
// ssh2 is CommonJS and its `utils` is not a named export Node can detect: use the default import.
import ssh2, { type ClientChannel, type PseudoTtyOptions } from "ssh2";
import { ExecError, type ExecChild, type Executor, type ExitInfo } from "./executor.js";
import { remoteCommand } from "./remote-command.js";
import { collect } from "./side-result.js";
import { connectSsh, type SshTarget } from "./ssh-connect.js";
import { startSshPty } from "./ssh-pty.js";
import { createSshPool, type Lease, type PoolOptions } from "./ssh-pool.js";

export interface SshExecutorOptions extends Omit<SshTarget, "privateKey"> {
  /** Path of a private key (SSH_KEY_PATH); read once, now, so a bad path fails at start-up. */
  keyPath?: string;
  pool?: Omit<PoolOptions, "connect">;
}

export interface SshExecutor extends Executor {
  /** How many connections are open (or opening) right now. */
  connections(): number;
}

export function createSshExecutor(opts: SshExecutorOptions): SshExecutor {
  let privateKey: Buffer | undefined;
  if (opts.keyPath) {
    try {
      privateKey = readFileSync(opts.keyPath);
    } catch (err) {
      throw new ExecError(
        "config",
        `SSH_KEY_PATH: cannot read ${opts.keyPath}: ${(err as Error).message}`,
      );
    }
    // Parse now so a missing or wrong passphrase stops start-up with a clear message.
    const parsed = ssh2.utils.parseKey(privateKey, opts.passphrase);
    if (parsed instanceof Error) {
      const hint = /passphrase|encrypted|decrypt/i.test(parsed.message)
        ? "it is encrypted: set SSH_KEY_PASSPHRASE to its passphrase"
        : "not a private key ssh2 can read (OpenSSH, PEM or PPK format)";
      throw new ExecError(
        "config",
        `SSH_KEY_PATH: cannot use ${opts.keyPath}: ${hint} (${parsed.message})`,
      );
    }
  }
  const target: SshTarget = { ...opts, privateKey };
  const pool = createSshPool({ ...opts.pool, connect: () => connectSsh(target) });

  /** Opens an exec channel, moving to another connection when the server refuses one more session. */
  const openChannel = async (
    command: string,
    pty?: PseudoTtyOptions,
  ): Promise<{ channel: ClientChannel; lease: Lease }> => {
    for (let attempt = 0; ; attempt++) {
      const lease = await pool.acquire();
      try {
        const channel = await new Promise<ClientChannel>((resolve, reject) =>
          lease.client.exec(command, pty ? { pty } : {}, (err, ch) =>
            err ? reject(err) : resolve(ch),
          ),
        );
        return { channel, lease };
      } catch (err) {
        lease.markFull();
        lease.release();
        if (attempt >= 5) {
          throw new ExecError(
            "unreachable",
            `${opts.host} refused a new SSH session: ${(err as Error).message}`,
          );
        }
      }
    }
  };

  const executor: SshExecutor = {
    target: `${opts.username}@${opts.host}:${opts.port}`,
    hostLabel: opts.host,
    async start(script): Promise<ExecChild> {
      const { channel, lease } = await openChannel(remoteCommand(script));
      const exit = new Promise<ExitInfo>((resolve) => {
        channel.once("exit", (code: number | null, signal?: string) =>
          // SSH names signals without the SIG prefix ("KILL"); node does not.
          resolve({
            code: code ?? null,
            signal: signal ? `SIG${signal.replace(/^SIG/, "")}` : null,
            lost: false,
          }),
        );
        // A close without an exit status: the connection went away under us.
        channel.once("close", () => resolve({ code: null, signal: null, lost: true }));
      });
      const closed = new Promise<void>((resolve) =>
        channel.once("close", () => {
          lease.release();
          resolve();
        }),
      );
      channel.on("error", () => {
        // Surfaces as a close without exit status.
      });
      return {
        stdin: channel,
        stdout: channel,
        stderr: channel.stderr,
        exit,
        closed,
        detach() {
          channel.close();
        },
      };
    },
    startPty: (script, ptyOpts) =>
      startSshPty(
        {
          open: async (command, pty) => {
            const { channel, lease } = await openChannel(command, pty);
            return { channel, release: () => lease.release() };
          },
          run: (s) => executor.run(s),
        },
        script,
        ptyOpts,
      ),
    async run(script, runOpts = {}) {
      const { channel, lease } = await openChannel(remoteCommand(script));
      // An 'error' without a listener would end the server; a lost link shows up as a close.
      channel.on("error", () => {});
      channel.end();
      const ended = new Promise<number | null>((resolve, reject) => {
        let code: number | null = null;
        channel.once("exit", (c: number | null) => (code = c ?? null));
        channel.once("close", () => {
          lease.release();
          if (code === null)
            reject(new ExecError("unreachable", `Lost the connection to ${opts.host}`));
          else resolve(code);
        });
      });
      return collect(
        channel,
        channel.stderr,
        runOpts.timeoutMs ?? 15_000,
        () => channel.close(),
        ended,
      );
    },
    connections: () => pool.size(),
    close: () => pool.close(),
  };
  return executor;
}
