// OpenSSH known_hosts: find the keys recorded for a host (plain, wildcard or hashed entries) and
// decide whether a presented host key is known, unknown or changed.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface KnownKey {
  type: string;
  key: Buffer;
  line: number;
  revoked: boolean;
}

export type HostKeyVerdict =
  | { status: "known" }
  | { status: "unknown" }
  | { status: "changed"; line: number }
  | { status: "revoked"; line: number };

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise, lower case like ssh. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` and `ssh` print it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

/** The key type written inside an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, ...). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return "unknown";
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString("latin1");
}

/** Every key line that applies to `name` (see `knownHostsName`); `@cert-authority` and unknown markers are skipped. */
export function keysForHost(text: string, name: string): KnownKey[] {
  const out: KnownKey[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    let marker: string | null = null;
    if (fields[0]?.startsWith("@")) marker = fields.shift() ?? null;
    // Host certificates are not supported, and OpenSSH skips lines with markers it does not know.
    if (marker !== null && marker !== "@revoked") return;
    const [hosts, type, b64] = fields;
    if (!hosts || !type || !b64) return;
    if (!hostsMatch(hosts, name)) return;
    out.push({
      type,
      key: Buffer.from(b64, "base64"),
      line: i + 1,
      revoked: marker === "@revoked",
    });
  });
  return out;
}

export function verifyHostKey(text: string, name: string, presented: Buffer): HostKeyVerdict {
  const keys = keysForHost(text, name);
  const revoked = keys.find((k) => k.revoked && k.key.equals(presented));
  if (revoked) return { status: "revoked", line: revoked.line };
  if (keys.some((k) => !k.revoked && k.key.equals(presented))) return { status: "known" };
  const type = keyTypeOf(presented);
  // Any other key recorded for this host means it is not a first use: a man in the middle can
  // pick a key type we have no record of, so "unknown" (and trust on first use) would let it in.
  const recorded = keys.filter((k) => !k.revoked);
  const other = recorded.find((k) => family(k.type) === family(type)) ?? recorded[0];
  if (other) return { status: "changed", line: other.line };
  return { status: "unknown" };
}

/** Host key algorithms to offer, those already recorded for the host first (as OpenSSH does). */
export function preferredHostKeyAlgorithms<T extends string>(
  text: string,
  name: string,
  all: readonly T[],
): T[] {
  const known = new Set(keysForHost(text, name).map((k) => family(k.type)));
  return [...all.filter((a) => known.has(family(a))), ...all.filter((a) => !known.has(family(a)))];
}

/** The line `SSH_ACCEPT_NEW_HOST_KEY=1` appends. */
export function knownHostsLine(name: string, key: Buffer): string {
  return `${name} ${keyTypeOf(key)} ${key.toString("base64")}\n`;
}

function family(type: string): string {
  return type === "ssh-rsa" || type.startsWith("rsa-sha2-") ? "rsa" : type;
}

function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith("|1|")) return hashedMatch(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(",")) {
    const negated = pattern.startsWith("!");
    const p = negated ? pattern.slice(1) : pattern;
    if (globMatch(p.toLowerCase(), name.toLowerCase())) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, what `HashKnownHosts yes` writes. */
function hashedMatch(entry: string, name: string): boolean {
  const [, , salt, hash] = entry.split("|");
  if (!salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const actual = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function globMatch(pattern: string, name: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === name;
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(name);
}
