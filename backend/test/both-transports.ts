// One suite, two transports: a suite of tests that takes an Executor runs on this machine and
// over a real OpenSSH sshd on 127.0.0.1 (which CI must have: requireService).
import { afterAll, beforeAll, describe } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

export const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

/** An SSH executor for the harness's sshd (its own key and known_hosts). */
export function sshExecutorFor(sshd: SshdHandle): Executor {
  return createSshExecutor({
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    keyPath: sshd.keyPath,
    knownHostsPath: sshd.knownHostsPath,
    acceptNewHostKey: false,
  });
}

/**
 * Declares `suite` twice: "<what> on this machine" and "<what> over SSH (...)". The executor is
 * read lazily: the SSH one exists only once its sshd has started.
 */
export function onBothTransports(
  what: string,
  suite: (executor: () => Executor) => void,
  opts: { local?: () => Executor } = {},
): void {
  describe(`${what} on this machine`, () => {
    const executor = (opts.local ?? (() => createLocalExecutor()))();
    suite(() => executor);
  });

  describe.skipIf(!hasSshd)(`${what} over SSH (real OpenSSH sshd on 127.0.0.1)`, () => {
    let sshd: SshdHandle;
    let executor: Executor;
    beforeAll(async () => {
      sshd = await startSshd();
      executor = sshExecutorFor(sshd);
    });
    afterAll(async () => {
      await executor?.close();
      await sshd?.stop();
    });
    suite(() => executor);
  });
}
