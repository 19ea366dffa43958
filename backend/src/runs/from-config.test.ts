import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, echoReport, FAKE_CLAUDE, secretHash, spec } from "../../test/runs-helpers.js";
import { parseConfig, type Config } from "../config.js";
import { cliEnvironment, runnerFromConfig } from "./from-config.js";

function config(env: Record<string, string>): Config {
  const r = parseConfig(env);
  if (!r.success) throw new Error(r.error);
  return r.data;
}

describe("runnerFromConfig", () => {
  it("runs locally when no SSH host is set", async () => {
    const runner = runnerFromConfig(config({}));
    expect(runner.target).toBe("local");
    await runner.close();
  });

  it("runs over SSH as user@host:port when SSH_HOST is set", async () => {
    const runner = runnerFromConfig(
      config({
        SSH_HOST: "devvm",
        SSH_PORT: "2222",
        SSH_USER: "ana",
        SSH_AUTH_SOCK: "/tmp/agent.sock",
      }),
    );
    expect(runner.target).toBe("ana@devvm:2222");
    await runner.close();
  });

  it("names the variable when a value cannot be used", () => {
    expect(() =>
      runnerFromConfig(config({ CLAUDE_EXTRA_ARGS: "--dangerously-skip-permissions" })),
    ).toThrow(/CLAUDE_EXTRA_ARGS/);
    expect(() =>
      runnerFromConfig(config({ SSH_HOST: "devvm", SSH_KEY_PATH: "/nonexistent/key" })),
    ).toThrow(/SSH_KEY_PATH/);
    // The run marker is how every sweep finds a run's processes: not for CLAUDE_ENV to change.
    expect(() => runnerFromConfig(config({ CLAUDE_ENV: "CATALYST_RUN_ID=x" }))).toThrow(
      /CLAUDE_ENV: CATALYST_RUN_ID/,
    );
  });

  it("keeps Catalyst's secrets out of a local CLI's environment", () => {
    const env = cliEnvironment({
      APP_KEY: "k",
      SSH_KEY_PASSPHRASE: "p",
      CLAUDE_ENV: "ANTHROPIC_API_KEY=s",
      HOME: "/root",
    });
    expect(env).toEqual({ HOME: "/root" });
  });

  it("starts a local CLI without the server's APP_KEY, SSH_KEY_PASSPHRASE or CLAUDE_ENV", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      APP_KEY: "server-app-key-0123456789",
      SSH_KEY_PASSPHRASE: "server-passphrase",
      CLAUDE_ENV: "ANTHROPIC_API_KEY=from-claude-env",
    });
    const remoteRoot = mkdtempSync(join(tmpdir(), "catalyst-cfg-"));
    const runner = runnerFromConfig(
      config({
        CLAUDE_BIN: FAKE_CLAUDE,
        REMOTE_ROOT: remoteRoot,
        CLAUDE_ENV: `ANTHROPIC_API_KEY=from-claude-env HOME=${remoteRoot}`,
      }),
    );
    try {
      const { events } = await collect(runner.start(spec("@fake echo-prompt")));
      // Only what CLAUDE_ENV names, one variable each, reaches the CLI.
      expect(echoReport(events).env).toEqual({ ANTHROPIC_API_KEY: secretHash("from-claude-env") });
    } finally {
      process.env = saved;
      await runner.close();
      rmSync(remoteRoot, { recursive: true, force: true });
    }
  });
});
