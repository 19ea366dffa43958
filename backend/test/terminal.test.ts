// The terminal on both transports: this machine (node-pty) and a real OpenSSH sshd on 127.0.0.1.
import { afterAll, beforeAll, describe } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";
import { terminalTests } from "./terminal-suite.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe("terminals on this machine", () => {
  const executor = createLocalExecutor();
  terminalTests(() => executor);
});

describe.skipIf(!hasSshd)("terminals over SSH (real OpenSSH sshd on 127.0.0.1)", () => {
  let sshd: SshdHandle;
  let executor: Executor;
  beforeAll(async () => {
    sshd = await startSshd();
    executor = createSshExecutor({
      host: sshd.host,
      port: sshd.port,
      username: sshd.user,
      keyPath: sshd.keyPath,
      knownHostsPath: sshd.knownHostsPath,
      acceptNewHostKey: false,
    });
  });
  afterAll(async () => {
    await executor?.close();
    await sshd?.stop();
  });
  terminalTests(() => executor);
});
