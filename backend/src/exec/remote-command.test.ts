import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { remoteCommand } from "./remote-command.js";

const hostile = [
  `printf '%s\\n' "it's" 'back\\\\slash \\' "$(echo sub)" '$(id) \`id\` !x'`,
  `echo "pid=$$"`,
  `printf '%s\\n' 'ünïcödé 🚀'`,
  "exit 7",
].join("\n");

// sshd runs the command as `$SHELL -c <command>`; every login shell found here gets a go.
const shells = ["/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/zsh", "/usr/bin/fish", "/bin/tcsh"];

describe("remoteCommand", () => {
  it("hands the login shell only characters every shell reads the same way", () => {
    const cmd = remoteCommand(hostile);
    expect(cmd).not.toMatch(/[\n\\`!]/);
    expect(cmd).toMatch(/^exec \/bin\/sh -c '[^']*'$/);
  });

  for (const shell of shells.filter((s) => existsSync(s))) {
    it(`runs the script byte for byte through ${shell} -c, with its exit code and pid`, () => {
      const r = spawnSync(shell, ["-c", remoteCommand(hostile)], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(7);
      expect(r.stdout).toBe(
        `it's\nback\\\\slash \\\nsub\n$(id) \`id\` !x\npid=${r.pid}\nünïcödé 🚀\n`,
      );
    });
  }
});
