import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLocalExecutor } from "../exec/local.js";
import { envHeader } from "../runs/secret-env.js";
import { cliPtyScript, PTY_READY } from "./scripts.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("cliPtyScript on a real terminal", () => {
  it("gives the CLI a long secret value whole (a terminal's line editing keeps 4095 bytes of a line) and never echoes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalyst-pty-env-"));
    dirs.push(dir);
    const cli = join(dir, "cli");
    // Stands in for the CLI: says how long the value it got is, and whether it is the one sent.
    writeFileSync(
      cli,
      `#!/bin/sh\nprintf 'LEN=%s\\n' "\${#BIG}"\n[ "$BIG" = "$(printf 'y%.0s' $(seq 1 5000))" ] && echo SAME\n`,
    );
    chmodSync(cli, 0o700);
    const executor = createLocalExecutor({ env: { PATH: process.env.PATH, HOME: dir } });
    const pty = await executor.startPty(cliPtyScript({ claudeBin: cli, remoteRoot: dir }, []), {
      cols: 200,
      rows: 20,
    });
    let out = "";
    let sent = false;
    pty.output.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (!sent && out.includes(PTY_READY)) {
        sent = true;
        pty.write(envHeader({ BIG: "y".repeat(5000) }));
      }
    });
    const exit = await pty.exit;
    expect(out).toContain("LEN=5000");
    expect(exit.code).toBe(0);
    expect(out).toContain("SAME");
    expect(out).not.toContain(Buffer.from("yyyy").toString("base64").slice(0, 4));
  });
});
