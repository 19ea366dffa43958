// Restarting the server with a run going, on both transports (restart-suite.ts). Each server gets
// its own executor, as each server process has its own connections.
import { afterAll, beforeAll, describe } from "vitest";
import { createLocalExecutor } from "../src/exec/local.js";
import { hasSshd, sshExecutorFor } from "./both-transports.js";
import { restartTests } from "./restart-suite.js";
import { startSshd, type SshdHandle } from "./sshd.js";

describe("a server restart with a run going, on this machine", () => {
  restartTests(() => createLocalExecutor());
});

describe.skipIf(!hasSshd)("a server restart with a run going, over SSH (real sshd)", () => {
  let sshd: SshdHandle;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  restartTests(() => sshExecutorFor(sshd));
});
