// The Claude account from the page, on both transports: this machine and a real OpenSSH sshd.
import { afterAll, beforeAll, describe } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { cliEnvironment } from "../src/runs/from-config.js";
import { accountTests } from "./account-suite.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe("the account on this machine", () => {
  const executor = createLocalExecutor({ env: cliEnvironment(process.env) });
  accountTests(() => executor);
});

describe.skipIf(!hasSshd)("the account over SSH (real OpenSSH sshd on 127.0.0.1)", () => {
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
  accountTests(() => executor);
});
