import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { remoteCommand } from "../exec/remote-command.js";
import { envHeader, envLines } from "./secret-env.js";
import { buildLaunchScript, buildWrapperScript, type WrapperInput } from "./wrapper-script.js";

const home = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-wrapper-")));
afterAll(() => rmSync(home, { recursive: true, force: true }));
// A stand-in CLI that prints what it was given, one item per line.
const bin = join(home, "show-args");
writeFileSync(
  bin,
  '#!/bin/sh\npwd\nprintf "%s\\n" "$@"\necho "run=$CATALYST_RUN_ID key=$SECRET_KEY"\ncat\n',
);
chmodSync(bin, 0o755);

const input: WrapperInput = {
  runId: "run_1-x",
  ideaId: "abcdefghijklmnopqrstu",
  remoteRoot: "~/cat root",
  claudeBin: bin,
  args: ["-p", "it's $(id) `id`", "--flag=a b"],
};
const secretEnv = { SECRET_KEY: "v'a l\"u$e" };
/** What a run writes on the wrapper's stdin: the secret environment, then the prompt. */
const stdinOf = (prompt: string, env: Record<string, string> = secretEnv) =>
  Buffer.concat([envHeader(env), Buffer.from(prompt)]).toString("utf8");

/** `leader`: sh leads its own group, as both executors start it (setsid, sshd's session). */
function run(w: WrapperInput, opts: { leader?: boolean } = {}) {
  const sh = ["/bin/sh", "-c", buildWrapperScript(w)];
  const [cmd = "", ...args] = opts.leader ? ["setsid", "-w", ...sh] : sh;
  return spawnSync(cmd, args, {
    input: stdinOf("the prompt\n"),
    env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
    cwd: home,
    encoding: "utf8",
  });
}

describe("buildWrapperScript", () => {
  it("creates the root, ideas and project folders owner-only (0700)", () => {
    const w = { ...input, remoteRoot: "~/private root" };
    expect(run(w).status).toBe(0);
    for (const dir of [
      "private root",
      "private root/ideas",
      `private root/ideas/${input.ideaId}`,
    ]) {
      expect(statSync(join(home, dir)).mode & 0o777).toBe(0o700);
    }
    expect(statSync(join(home, `private root/ideas/${input.ideaId}/project`)).mode & 0o777).toBe(
      0o700,
    );
  });

  it("creates and enters the idea's project folder under a ~ root, passes args and env intact", () => {
    const r = run(input);
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")).toEqual([
      join(home, "cat root/ideas/abcdefghijklmnopqrstu/project"),
      "-p",
      "it's $(id) `id`",
      "--flag=a b",
      `run=run_1-x key=v'a l"u$e`,
      "the prompt",
      "",
    ]);
  });

  it("reports its process group and the login PATH on stderr before the CLI starts", () => {
    const r = run(input);
    const lines = r.stderr.split("\n");
    expect(lines.some((l) => /^__CATALYST_PID__=\d+$/.test(l))).toBe(true);
    const path = lines.find((l) => l.startsWith("__CATALYST_LOGIN_PATH__="));
    expect(path).toContain("/.local/bin");
  });

  it("reports its process group before the login shell step, so a cancel then can SIGINT it", () => {
    const lines = run(input, { leader: true }).stderr.split("\n");
    const pidAt = lines.findIndex((l) => /^__CATALYST_PID__=\d+$/.test(l));
    const pathAt = lines.findIndex((l) => l.startsWith("__CATALYST_LOGIN_PATH__="));
    expect(pidAt).toBe(0);
    expect(pathAt).toBeGreaterThan(pidAt);
    expect(lines.filter((l) => l.startsWith("__CATALYST_PID__="))).toHaveLength(1);
    expect(lines.at(-2)).toBe("__CATALYST_EXEC__");
  });

  it("lets the login shell finish when cancelled during that step (profiles are not signal-safe), and starts no CLI", async () => {
    // A profile that holds a lock for a while, like pyenv's rehash on every shell start.
    const profHome = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-profile-")));
    const lock = join(profHome, "lock");
    writeFileSync(join(profHome, ".profile"), `: > "$HOME/lock"\nsleep 1\nrm -f "$HOME/lock"\n`);
    const sh = spawn("/bin/sh", ["-c", buildWrapperScript(input)], {
      detached: true,
      env: { HOME: profHome, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    sh.stdin.write(envHeader(secretEnv));
    const out: Buffer[] = [];
    sh.stdout.on("data", (c: Buffer) => out.push(c));
    const exited = new Promise<number | null>((r) => sh.once("exit", (code) => r(code)));
    const poll = async (cond: () => boolean) => {
      for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
      return cond();
    };
    try {
      expect(await poll(() => existsSync(lock))).toBe(true);
      // What a cancel does: SIGINT to the group, then SIGKILL after the grace period.
      process.kill(-(sh.pid ?? 0), "SIGINT");
      expect(await exited).toBe(130);
      try {
        process.kill(-(sh.pid ?? 0), "SIGKILL");
      } catch {
        // The group is gone already.
      }
      expect(await poll(() => !existsSync(lock))).toBe(true);
      expect(Buffer.concat(out).toString()).toBe("");
    } finally {
      rmSync(profHome, { recursive: true, force: true });
    }
  });

  it("makes the CLI the leader of the process group it reports, even when started inside another group", () => {
    const groupBin = join(home, "show-group");
    writeFileSync(groupBin, "#!/bin/sh\necho \"$$ $(ps -o pgid= -p $$ | tr -d ' ')\"\n");
    chmodSync(groupBin, 0o755);
    // spawnSync without `detached`: sh starts inside vitest's process group, not its own.
    const r = run({ ...input, claudeBin: groupBin });
    const reported = /__CATALYST_PID__=(\d+)/.exec(r.stderr)?.[1];
    const [pid, pgid] = r.stdout.trim().split(" ");
    expect(reported).toBe(pid);
    expect(pgid).toBe(pid);
    expect(Number(pgid)).not.toBe(process.pid);
  });

  it("learns the login PATH past profile chatter on stdout, and copes with $SHELL unset or missing", () => {
    const profHome = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-chatty-")));
    try {
      mkdirSync(join(profHome, "tools"));
      writeFileSync(join(profHome, "tools", "my-claude"), readFileSync(bin));
      chmodSync(join(profHome, "tools", "my-claude"), 0o755);
      writeFileSync(
        join(profHome, ".profile"),
        `echo "Welcome!"\nprintf 'no newline at the end'\nPATH="$HOME/tools:$PATH"\n`,
      );
      const script = buildWrapperScript({ ...input, claudeBin: "my-claude" });
      const runWith = (shell: string | undefined) =>
        spawnSync("/bin/sh", ["-c", script], {
          input: stdinOf("p\n"),
          env: { HOME: profHome, PATH: "/usr/bin:/bin", ...(shell ? { SHELL: shell } : {}) },
          cwd: profHome,
          encoding: "utf8",
        });
      const chatty = runWith(undefined);
      expect(chatty.status).toBe(0);
      expect(chatty.stdout).not.toContain("Welcome");
      expect(chatty.stdout).not.toContain("no newline");
      expect(chatty.stderr).toContain(`__CATALYST_LOGIN_PATH__=${profHome}/tools:`);
      // A login shell that is not there: no learned PATH, the CLI is reported missing plainly.
      const missing = runWith("/nonexistent/fish");
      expect(missing.status).toBe(127);
      expect(missing.stderr).toContain("__CATALYST_NO_CLI__");
    } finally {
      rmSync(profHome, { recursive: true, force: true });
    }
  });

  it("skips the login shell when the PATH is already known", () => {
    const script = buildWrapperScript({ ...input, knownPath: "/opt/x:/usr/bin:/bin" });
    expect(script).not.toContain("-lc");
    expect(script).toContain("PATH='/opt/x:/usr/bin:/bin'; export PATH");
    expect(run({ ...input, knownPath: "/usr/bin:/bin" }).status).toBe(0);
  });

  it("marks a missing CLI and exits 127 without starting anything", () => {
    const r = run({ ...input, claudeBin: "no-such-claude" });
    expect(r.status).toBe(127);
    expect(r.stderr).toContain("__CATALYST_NO_CLI__");
    expect(r.stderr).not.toContain("__CATALYST_PID__");
  });

  it("keeps hostile REMOTE_ROOT, CLAUDE_BIN and CLAUDE_ENV values inert, also through ssh's login shell", () => {
    const dir = join(home, "odd dir 'q' $(touch pwned1) `touch pwned2`");
    mkdirSync(dir, { recursive: true });
    const oddBin = join(dir, "my claude's \\bin");
    writeFileSync(oddBin, readFileSync(bin));
    chmodSync(oddBin, 0o755);
    const env = { V1: "a'b\"c $(touch pwned3) `touch pwned4` \\n\nsecond line", V2: "\\" };
    const hostile: WrapperInput = {
      ...input,
      remoteRoot: `~/root 'x' $(touch pwned5);touch pwned6`,
      claudeBin: oddBin,
    };
    const script = buildWrapperScript(hostile);
    for (const r of [
      spawnSync("/bin/sh", ["-c", script], {
        input: stdinOf("the prompt\n", env),
        env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
        cwd: home,
        encoding: "utf8",
      }),
      spawnSync("/bin/bash", ["-c", remoteCommand(script)], {
        input: stdinOf("the prompt\n"),
        env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
        cwd: home,
        encoding: "utf8",
      }),
    ]) {
      expect(r.status).toBe(0);
      const lines = r.stdout.split("\n");
      expect(lines[0]).toBe(
        join(home, "root 'x' $(touch pwned5);touch pwned6/ideas/abcdefghijklmnopqrstu/project"),
      );
      expect(r.stdout).toContain("the prompt");
    }
    const envOut = spawnSync(
      "/bin/sh",
      ["-c", buildWrapperScript({ ...hostile, claudeBin: "env", args: [] })],
      {
        input: stdinOf("", env),
        env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
        cwd: home,
        encoding: "utf8",
      },
    ).stdout;
    expect(envOut).toContain(`V1=${env.V1}\n`);
    expect(envOut).toContain(`V2=${env.V2}\n`);
    expect(readdirSync(home).filter((f) => f.startsWith("pwned"))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith("pwned"))).toEqual([]);
  });

  it("takes the secret environment from stdin, not its command line, and the stored account file wins", () => {
    const w: WrapperInput = {
      ...input,
      remoteRoot: join(home, "acct root"),
      claudeBin: "env",
      args: [],
    };
    const secret = "sk-ant-secret-\n$(touch pwned7)\n\n";
    const script = buildWrapperScript(w);
    expect(script).not.toContain("sk-ant-secret");
    const envOf = () =>
      spawnSync("/bin/sh", ["-c", script], {
        input: stdinOf("", { ANTHROPIC_API_KEY: secret, OTHER: "o" }),
        env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
        cwd: home,
        encoding: "utf8",
      }).stdout;
    expect(envOf()).toContain(`ANTHROPIC_API_KEY=${secret}\n`);
    mkdirSync(join(w.remoteRoot, "account"), { recursive: true });
    writeFileSync(
      join(w.remoteRoot, "account", "env"),
      `${envLines({ ANTHROPIC_API_KEY: "from-the-page" })}CATALYST_RUN_ID=eA==\n`,
    );
    const out = envOf();
    expect(out).toContain("ANTHROPIC_API_KEY=from-the-page\n");
    expect(out).toContain("OTHER=o\n");
    // The file cannot unmark the run.
    expect(out).toContain("CATALYST_RUN_ID=run_1-x\n");
    expect(readdirSync(home).filter((f) => f.startsWith("pwned"))).toEqual([]);
  });

  it("refuses values that are not ids or names", () => {
    expect(() => buildWrapperScript({ ...input, runId: "a b" })).toThrow(/run id/);
    expect(() => buildWrapperScript({ ...input, ideaId: "../../../etc/x" })).toThrow();
    expect(() => envHeader({ "A;B": "x" })).toThrow(/variable name/);
    expect(() => envHeader({ CATALYST_RUN_ID: "x" })).toThrow(/set by Catalyst/);
  });
});

describe("buildLaunchScript", () => {
  const launchOf = (w: WrapperInput, env: NodeJS.ProcessEnv = {}) =>
    spawnSync("/bin/sh", ["-c", buildLaunchScript(w)], {
      input: stdinOf(""),
      env: { HOME: home, SHELL: "/bin/sh", PATH: "/usr/bin:/bin", ...env },
      cwd: home,
      encoding: "utf8",
    });
  const runsDir = (w: WrapperInput) => join(home, "cat root", "ideas", w.ideaId, "runs");

  it("marks a missing CLI and exits 127 before any run folder exists", () => {
    const w = { ...input, ideaId: "launchnocliaaaaaaaaaa", claudeBin: "no-such-claude" };
    const r = launchOf(w);
    expect(r.status).toBe(127);
    expect(r.stderr).toContain("__CATALYST_NO_CLI__");
    expect(r.stderr).not.toContain("__CATALYST_EXEC__");
    expect(existsSync(runsDir(w))).toBe(false);
  });

  it("refuses to start a run whose folder exists already (exit 1, no exec marker)", () => {
    const w = { ...input, ideaId: "launchtwiceaaaaaaaaaa", claudeBin: "true", args: [] };
    mkdirSync(join(runsDir(w), w.runId), { recursive: true });
    const r = launchOf(w);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Cannot create the run folder.");
    expect(r.stderr).not.toContain("__CATALYST_EXEC__");
  });

  it("stops before the supervisor when cancelled during the login shell step (130), and starts nothing", async () => {
    const profHome = realpathSync(mkdtempSync(join(tmpdir(), "catalyst-launch-profile-")));
    writeFileSync(join(profHome, ".profile"), `: > "$HOME/started"\nsleep 1\n`);
    const w = { ...input, remoteRoot: join(profHome, "root") };
    const sh = spawn("/bin/sh", ["-c", buildLaunchScript(w)], {
      detached: true,
      env: { HOME: profHome, SHELL: "/bin/sh", PATH: "/usr/bin:/bin" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    sh.stdin.write(envHeader(secretEnv));
    const err: Buffer[] = [];
    sh.stderr.on("data", (c: Buffer) => err.push(c));
    const exited = new Promise<number | null>((r) => sh.once("exit", (code) => r(code)));
    try {
      for (let i = 0; i < 500 && !existsSync(join(profHome, "started")); i++)
        await new Promise((r) => setTimeout(r, 10));
      process.kill(-(sh.pid ?? 0), "SIGINT");
      expect(await exited).toBe(130);
      expect(Buffer.concat(err).toString()).not.toContain("__CATALYST_EXEC__");
      expect(existsSync(join(w.remoteRoot, "ideas", w.ideaId, "runs"))).toBe(false);
    } finally {
      rmSync(profHome, { recursive: true, force: true });
    }
  });

  it("refuses an orphan timeout that is not a positive whole number of seconds", () => {
    expect(() => buildLaunchScript({ ...input, orphanTimeoutS: 0 })).toThrow(/orphan timeout/);
    expect(() => buildLaunchScript({ ...input, orphanTimeoutS: 1.5 })).toThrow(/orphan timeout/);
  });
});
