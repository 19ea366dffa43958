// A build run's changes and revert on both transports: this machine and a real sshd on 127.0.0.1.
import { afterAll, beforeAll, describe } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { changesTests } from "./changes-suite.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe("build run changes on this machine", () => {
  const executor = createLocalExecutor();
  changesTests(() => executor);
});

describe.skipIf(!hasSshd)("build run changes over SSH (real OpenSSH sshd on 127.0.0.1)", () => {
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
  changesTests(() => executor);
});
