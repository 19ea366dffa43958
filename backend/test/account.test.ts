// The Claude account from the page, on both transports: this machine and a real OpenSSH sshd.
import { describe, expect, it } from "vitest";
import { createLocalExecutor } from "../src/exec/local.js";
import { cliEnvironment } from "../src/runs/from-config.js";
import { terminalText } from "../src/account/terminal-text.js";
import { shellQuote } from "../src/exec/shell-quote.js";
import { accountTests } from "./account-suite.js";
import { onBothTransports } from "./both-transports.js";
import { FAKE_CLAUDE } from "./runs-helpers.js";

// The local executor as the account service gets it: without the server's own secrets.
const localExecutor = () => createLocalExecutor({ env: cliEnvironment(process.env) });

onBothTransports("the account", accountTests, { local: localExecutor });

describe("fake-claude on this machine's PTY", () => {
  const executor = localExecutor();

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
