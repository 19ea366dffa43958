import { describe, expect, it } from "vitest";
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
    const env = cliEnvironment({ APP_KEY: "k", SSH_KEY_PASSPHRASE: "p", HOME: "/root" });
    expect(env).toEqual({ HOME: "/root" });
  });
});
