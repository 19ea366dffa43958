// The Claude account from the page, on both transports: this machine and a real OpenSSH sshd.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { createLocalExecutor } from "../src/exec/local.js";
import { createSshExecutor } from "../src/exec/ssh.js";
import { cliEnvironment } from "../src/runs/from-config.js";
import { terminalText } from "../src/account/terminal-text.js";
import { shellQuote } from "../src/exec/shell-quote.js";
import { accountTests } from "./account-suite.js";
import { FAKE_CLAUDE } from "./runs-helpers.js";
import { requireService } from "./require-service.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

describe("the account on this machine", () => {
  const executor = createLocalExecutor({ env: cliEnvironment(process.env) });
  accountTests(() => executor);

  it("fake-claude's setup-token on a PTY prints the URL, reads the code and prints a token once", async () => {
    const pty = await executor.startPty(`exec ${shellQuote(FAKE_CLAUDE)} setup-token`, {
      cols: 500,
      rows: 30,
    });
    let out = "";
    pty.output.on("data", (c: Buffer) => (out += c.toString()));
    for (let i = 0; i < 200 && !out.includes("Paste code here"); i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(terminalText(out)).toMatch(/https:\/\/claude\.ai\/oauth\/authorize\?/);
    pty.write("fake-good-code\r");
    expect((await pty.exit).code).toBe(0);
    expect(out).toMatch(/sk-ant-oat01-[0-9a-f]{48}/);
    await pty.stop();
  });
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
