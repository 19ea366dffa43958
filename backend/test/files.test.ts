// The files API on both transports: this machine and a real OpenSSH sshd on 127.0.0.1.
import { afterAll, beforeAll, describe } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { filesTests } from "./files-suite.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe("files on this machine", () => {
  const executor = createLocalExecutor();
  filesTests(() => executor);
});

describe.skipIf(!hasSshd)("files over SSH (real OpenSSH sshd on 127.0.0.1)", () => {
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
  filesTests(() => executor);
});
