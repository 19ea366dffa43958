// Opens one authenticated SSH connection, checking the host key against OpenSSH's known_hosts.
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { Client, type ConnectConfig, type ServerHostKeyAlgorithm } from "ssh2";
import { ExecError } from "./executor.js";
import {
  fingerprint,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from "./known-hosts.js";

/** ssh2's default host key algorithms, strongest first. */
const HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey?: Buffer;
  passphrase?: string;
  /** Path of the SSH agent's socket (SSH_AUTH_SOCK). */
  agent?: string;
  knownHostsPath: string;
  /** Trust on first use: record an unknown host key instead of refusing it. */
  acceptNewHostKey: boolean;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
}

export function connectSsh(t: SshTarget): Promise<Client> {
  const name = knownHostsName(t.host, t.port);
  const where = `${t.host}:${t.port}`;
  const known = readKnownHosts(t.knownHostsPath);
  let refusal: ExecError | null = null;

  const hostVerifier = (key: Buffer): boolean => {
    const verdict = verifyHostKey(readKnownHosts(t.knownHostsPath), name, key);
    const shown = `${keyTypeOf(key)} ${fingerprint(key)}`;
    if (verdict.status === "known") return true;
    if (verdict.status === "unknown" && t.acceptNewHostKey) {
      recordHostKey(t.knownHostsPath, knownHostsLine(name, key));
      return true;
    }
    refusal = new ExecError("host_key", hostKeyMessage(verdict.status, where, shown, t));
    return false;
  };

  const config: ConnectConfig = {
    host: t.host,
    port: t.port,
    username: t.username,
    privateKey: t.privateKey,
    passphrase: t.passphrase,
    agent: t.agent,
    hostVerifier,
    readyTimeout: t.readyTimeoutMs ?? 20_000,
    // Notices a silently dead link (a VM that went away) within about 45 s.
    keepaliveInterval: t.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 3,
    algorithms: { serverHostKey: preferredHostKeyAlgorithms(known, name, HOST_KEY_ALGORITHMS) },
  };

  return new Promise((resolve, reject) => {
    const client = new Client();
    let settled = false;
    client.once("ready", () => {
      settled = true;
      resolve(client);
    });
    client.on("error", (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(refusal ?? connectError(err, where, t));
    });
    client.once("close", () => {
      if (settled) return;
      settled = true;
      reject(
        refusal ??
          new ExecError("unreachable", `The SSH connection to ${where} closed during login`),
      );
    });
    try {
      client.connect(config);
    } catch (err) {
      settled = true;
      reject(
        new ExecError("config", `SSH_KEY_PATH: cannot use the key: ${(err as Error).message}`),
      );
    }
  });
}

/** Appends a line, on a line of its own even when the file's last line has no newline. */
function recordHostKey(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const text = readKnownHosts(path);
  const sep = text === "" || text.endsWith("\n") ? "" : "\n";
  appendFileSync(path, sep + line, { mode: 0o600 });
}

function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function hostKeyMessage(
  status: "unknown" | "changed" | "revoked",
  where: string,
  shown: string,
  t: SshTarget,
): string {
  if (status === "unknown") {
    return (
      `The host key of ${where} (${shown}) is not in ${t.knownHostsPath}. ` +
      `Check that fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then ` +
      `connect once with ssh, or set SSH_ACCEPT_NEW_HOST_KEY=1 to record it on first use.`
    );
  }
  if (status === "revoked") {
    return `The host key of ${where} (${shown}) is marked @revoked in ${t.knownHostsPath}: refusing to connect.`;
  }
  return (
    `The host key of ${where} has CHANGED: it now presents ${shown}, which does not match ` +
    `${t.knownHostsPath}. Someone may be intercepting the connection; if the server was ` +
    `reinstalled, remove the old entry (ssh-keygen -R '${knownHostsName(t.host, t.port)}' -f ${t.knownHostsPath}) and try again.`
  );
}

function connectError(
  err: Error & { level?: string; code?: string },
  where: string,
  t: SshTarget,
): ExecError {
  if (err.level === "client-authentication") {
    const how = t.privateKey
      ? "the key in SSH_KEY_PATH"
      : t.agent
        ? "the SSH agent's keys"
        : "no key";
    return new ExecError(
      "auth",
      `SSH login as ${t.username}@${where} was refused with ${how}: add the public key to the server's ~/.ssh/authorized_keys.`,
    );
  }
  if (err.level === "client-timeout") {
    return new ExecError(
      "unreachable",
      `Cannot reach ${where}: no SSH handshake within the time limit`,
    );
  }
  if (/passphrase|privateKey|parse/i.test(err.message)) {
    return new ExecError("config", `SSH_KEY_PATH: cannot use the key: ${err.message}`);
  }
  return new ExecError("unreachable", `Cannot reach ${where}: ${err.message}`);
}
