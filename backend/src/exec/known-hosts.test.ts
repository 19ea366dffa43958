import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  fingerprint,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from "./known-hosts.js";
import { requireService } from "../../test/require-service.js";

const dir = mkdtempSync(join(tmpdir(), "catalyst-kh-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeKey(name: string, type = "ed25519"): { blob: Buffer; pub: string; fp: string } {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", path]);
  const pub = readFileSync(`${path}.pub`, "utf8").trim();
  const fp = /SHA256:\S+/.exec(execFileSync("ssh-keygen", ["-lf", `${path}.pub`]).toString())?.[0];
  return { blob: Buffer.from(pub.split(" ")[1] ?? "", "base64"), pub, fp: fp ?? "" };
}

function keygenAvailable(): boolean {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
    return true;
  } catch (err) {
    // ssh-keygen -? prints its usage and exits 1; only a missing binary is ENOENT.
    return !(err instanceof Error && "code" in err && err.code === "ENOENT");
  }
}

// The keys and fingerprints to compare with come from OpenSSH's own ssh-keygen.
const hasKeygen = requireService("ssh-keygen", keygenAvailable(), "apt-get install openssh-client");
const noKey = { blob: Buffer.alloc(0), pub: "", fp: "" };
const [a, b, r] = hasKeygen
  ? [makeKey("a"), makeKey("b"), makeKey("r", "rsa")]
  : [noKey, noKey, noKey];

describe.runIf(hasKeygen)("known_hosts", () => {
  it("names non-standard ports as [host]:port, like OpenSSH", () => {
    expect(knownHostsName("dev", 22)).toBe("dev");
    expect(knownHostsName("127.0.0.1", 2222)).toBe("[127.0.0.1]:2222");
  });

  it("computes the same fingerprint and key type as ssh-keygen", () => {
    expect(fingerprint(a.blob)).toBe(a.fp);
    expect(keyTypeOf(a.blob)).toBe("ssh-ed25519");
    expect(keyTypeOf(r.blob)).toBe("ssh-rsa");
  });

  it("knows a key listed under a plain, comma-separated name", () => {
    const text = `# comment\nother ${b.pub}\ndev,10.0.0.5 ${a.pub}\n`;
    expect(verifyHostKey(text, "10.0.0.5", a.blob)).toEqual({ status: "known" });
    expect(verifyHostKey(text, "nothere", a.blob)).toEqual({ status: "unknown" });
  });

  it("knows a key under a hashed entry written by ssh-keygen -H", () => {
    const file = join(dir, "hashed");
    writeFileSync(file, `[127.0.0.1]:2222 ${a.pub}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", file]);
    const text = readFileSync(file, "utf8");
    expect(text.startsWith("|1|")).toBe(true);
    expect(verifyHostKey(text, "[127.0.0.1]:2222", a.blob)).toEqual({ status: "known" });
    expect(verifyHostKey(text, "127.0.0.1", a.blob)).toEqual({ status: "unknown" });
  });

  it("finds a hashed entry whatever the case of SSH_HOST, as ssh does (it hashes the lower-case name)", () => {
    const file = join(dir, "hashed-case");
    writeFileSync(file, `devvm.lan ${a.pub}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", file]);
    const text = readFileSync(file, "utf8");
    expect(verifyHostKey(text, knownHostsName("DevVM.LAN", 22), a.blob)).toEqual({
      status: "known",
    });
    expect(knownHostsName("DevVM", 2222)).toBe("[devvm]:2222");
  });

  it("reports a changed key when another key of the same type is recorded", () => {
    const text = `dev ${b.pub}\n`;
    expect(verifyHostKey(text, "dev", a.blob)).toEqual({ status: "changed", line: 1 });
  });

  it("treats a key of a type not yet recorded as changed when the host has other keys (no TOFU)", () => {
    expect(verifyHostKey(`dev ${r.pub}\n`, "dev", a.blob)).toEqual({ status: "changed", line: 1 });
    // A revoked key alone is no record of the host's identity.
    expect(verifyHostKey(`@revoked dev ${r.pub}\n`, "dev", a.blob)).toEqual({ status: "unknown" });
  });

  it("honours wildcards, negation and @revoked", () => {
    expect(verifyHostKey(`*.lan,!bad.lan ${a.pub}\n`, "vm.lan", a.blob).status).toBe("known");
    expect(verifyHostKey(`*.lan,!bad.lan ${a.pub}\n`, "bad.lan", a.blob).status).toBe("unknown");
    expect(verifyHostKey(`@revoked * ${a.pub}\ndev ${a.pub}\n`, "dev", a.blob)).toEqual({
      status: "revoked",
      line: 1,
    });
  });

  it("does not take a key from a @cert-authority line or a line with an unknown marker", () => {
    expect(verifyHostKey(`@cert-authority dev ${a.pub}\n`, "dev", a.blob).status).toBe("unknown");
    expect(verifyHostKey(`@bogus dev ${a.pub}\n`, "dev", a.blob).status).toBe("unknown");
  });

  it("offers recorded key types first so the server presents a key we can check", () => {
    const algos = preferredHostKeyAlgorithms(`dev ${r.pub}\n`, "dev", [
      "ssh-ed25519",
      "rsa-sha2-512",
      "rsa-sha2-256",
      "ssh-rsa",
    ]);
    expect(algos.slice(0, 3)).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
    expect(algos).toContain("ssh-ed25519");
  });

  it("writes a line that ssh-keygen -F finds again", () => {
    const file = join(dir, "appended");
    writeFileSync(file, knownHostsLine("[127.0.0.1]:2222", a.blob));
    const found = execFileSync("ssh-keygen", ["-F", "[127.0.0.1]:2222", "-f", file]).toString();
    expect(found).toContain(a.pub.split(" ")[1]);
  });
});
