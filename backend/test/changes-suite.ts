// A build run's changes and their revert, written once and run against each executor.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ideaMetaSchema, revertResultSchema, runChangesSchema } from "@catalyst/shared";
import { afterEach, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { createApp, type CatalystApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { nanoIds, silentLogger } from "../src/deps.js";
import type { Executor } from "../src/exec/executor.js";
import { createNodeFs } from "../src/fs/fs-port.js";
import { createCliRunner, type CliRunner } from "../src/runs/cli-runner.js";
import { testSettings } from "./runs-helpers.js";

const KEY = "test-key-0123456789abcdef";
const runIdBody = z.object({ runId: z.string() });

export function changesTests(executorOf: () => Executor): void {
  let catalyst: CatalystApp;
  let runner: CliRunner;
  let dataDir: string;
  let project: string;
  let ideaId: string;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "catalyst-changes-"));
    const settings = testSettings();
    const executor = executorOf();
    runner = createCliRunner({ ...settings, executor: { ...executor, close: async () => {} } });
    catalyst = createApp(
      {
        runner,
        fs: createNodeFs(),
        clock: systemClock,
        ids: nanoIds,
        logger: silentLogger,
        project: { executor, remoteRoot: settings.remoteRoot },
      },
      { appKey: KEY, dataDir, maxConcurrentRuns: 4, staticDir: null },
    );
    await catalyst.start();
    const res = await api("/api/ideas", "POST", { title: "Changes", description: "" });
    ideaId = ideaMetaSchema.parse(await res.json()).id;
    project = join(settings.remoteRoot, "ideas", ideaId, "project");
    mkdirSync(project, { recursive: true });
  });
  afterEach(async () => {
    await catalyst.close();
    await runner.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = (path: string, method = "GET", body?: unknown) =>
    Promise.resolve(
      catalyst.app.request(path, {
        method,
        headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
  const build = async (message: string) => {
    const res = await api(`/api/ideas/${ideaId}/build`, "POST", { message });
    expect(res.status).toBe(202);
    return runIdBody.parse(await res.json()).runId;
  };
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", project, ...args], { encoding: "utf8" });

  it("records what a build run changed, and reverts exactly that, leaving the user's git state alone", async () => {
    // The user's own repository: a branch with a commit, a staged change, a stash.
    git("init", "-q", "-b", "trunk");
    writeFileSync(join(project, "edit.txt"), "one\ntwo\n");
    writeFileSync(join(project, "keep.txt"), "mine\n");
    git("add", "-A");
    git("-c", "user.name=U", "-c", "user.email=u@x", "commit", "-qm", "first");
    writeFileSync(join(project, "keep.txt"), "stashed\n");
    git("-c", "user.name=U", "-c", "user.email=u@x", "stash", "-q");
    writeFileSync(join(project, "staged.txt"), "staged\n");
    git("add", "staged.txt");
    const before = {
      head: git("rev-parse", "HEAD"),
      branches: git("branch", "--list"),
      cached: git("diff", "--cached", "--name-only"),
      stash: git("stash", "list"),
    };

    const runId = await build(
      '@fake tool name=Write path=new.txt content="hello"\n@fake tool name=Write path=edit.txt content="one\nTWO\n"',
    );
    await catalyst.runs.whenIdle();

    const res = await api(`/api/ideas/${ideaId}/runs/${runId}/changes`);
    expect(res.status).toBe(200);
    const changes = runChangesSchema.parse(await res.json());
    expect(changes.files.map((f) => [f.path, f.status])).toEqual([
      ["edit.txt", "modified"],
      ["new.txt", "added"],
    ]);
    expect(changes.files.find((f) => f.path === "new.txt")).toMatchObject({
      additions: 1,
      deletions: 0,
    });
    expect(changes.patch).toContain("diff --git a/new.txt b/new.txt");
    expect(changes.patch).toContain("+hello");
    expect(changes.truncated).toBe(false);

    // Someone edits another file after the run: the revert leaves that alone.
    writeFileSync(join(project, "keep.txt"), "changed later\n");
    const reverted = await api(`/api/ideas/${ideaId}/runs/${runId}/revert`, "POST");
    expect(reverted.status).toBe(200);
    expect(revertResultSchema.parse(await reverted.json()).restored).toBe(2);
    expect(existsSync(join(project, "new.txt"))).toBe(false);
    expect(readFileSync(join(project, "edit.txt"), "utf8")).toBe("one\ntwo\n");
    expect(readFileSync(join(project, "keep.txt"), "utf8")).toBe("changed later\n");
    expect(readFileSync(join(project, "staged.txt"), "utf8")).toBe("staged\n");

    expect({
      head: git("rev-parse", "HEAD"),
      branches: git("branch", "--list"),
      cached: git("diff", "--cached", "--name-only"),
      stash: git("stash", "list"),
    }).toEqual(before);
    expect(git("for-each-ref", "--format=%(refname)", "refs/catalyst").split("\n")).toEqual(
      expect.arrayContaining([
        `refs/catalyst/runs/${runId}/before`,
        `refs/catalyst/runs/${runId}/after`,
      ]),
    );
  });

  it("makes the project a git repository when it is not one", async () => {
    writeFileSync(join(project, "a.txt"), "a\n");
    const runId = await build('@fake tool name=Write path=a.txt content="b"');
    await catalyst.runs.whenIdle();
    const changes = runChangesSchema.parse(
      await (await api(`/api/ideas/${ideaId}/runs/${runId}/changes`)).json(),
    );
    expect(changes.files).toEqual([
      { path: "a.txt", status: "modified", additions: 1, deletions: 1, binary: false },
    ]);
    expect(existsSync(join(project, ".git"))).toBe(true);
  });

  it("refuses a revert while a run is going (409), and has no changes for a chat run (404)", async () => {
    const chat = await api(`/api/ideas/${ideaId}/chat`, "POST", { message: "@fake hello" });
    const chatRunId = runIdBody.parse(await chat.json()).runId;
    await catalyst.runs.whenIdle();
    expect((await api(`/api/ideas/${ideaId}/runs/${chatRunId}/changes`)).status).toBe(404);

    const runId = await build("@fake slow interval=100 count=100");
    const refused = await api(`/api/ideas/${ideaId}/runs/${runId}/revert`, "POST");
    expect(refused.status).toBe(409);
    await api(`/api/ideas/${ideaId}/cancel`, "POST");
    await catalyst.runs.whenIdle();
    expect((await api(`/api/ideas/${ideaId}/runs/bad%20id/changes`)).status).toBe(400);
  });

  it("never runs the project's own git hooks, fsmonitor, filters or textconv, and keeps to the project folder", async () => {
    // A project (Claude can write its .git) whose config would run commands for any git that reads it.
    const traces = mkdtempSync(join(tmpdir(), "catalyst-git-traces-"));
    const elsewhere = mkdtempSync(join(tmpdir(), "catalyst-git-elsewhere-"));
    git("init", "-q");
    const trace = (what: string) => `sh -c 'touch ${traces}/${what}; cat'`;
    git("config", "core.fsmonitor", `touch ${traces}/fsmonitor; false`);
    git("config", "filter.x.clean", trace("clean"));
    git("config", "filter.x.smudge", trace("smudge"));
    git("config", "filter.x.process", `touch ${traces}/process`);
    git("config", "filter.x.required", "true");
    git("config", "diff.x.textconv", `sh -c 'touch ${traces}/textconv; cat "$0"'`);
    git("config", "core.worktree", elsewhere);
    for (const hook of ["reference-transaction", "post-index-change", "post-checkout"]) {
      writeFileSync(join(project, ".git", "hooks", hook), `#!/bin/sh\ntouch ${traces}/${hook}\n`);
      chmodSync(join(project, ".git", "hooks", hook), 0o755);
    }
    writeFileSync(join(project, ".gitattributes"), "*.txt filter=x diff=x\n");
    writeFileSync(join(project, "edit.txt"), "one\n");

    const runId = await build('@fake tool name=Write path=edit.txt content="two"');
    await catalyst.runs.whenIdle();
    const changes = runChangesSchema.parse(
      await (await api(`/api/ideas/${ideaId}/runs/${runId}/changes`)).json(),
    );
    expect(changes.files.map((f) => f.path)).toEqual(["edit.txt"]);
    expect(changes.patch).toContain("+two");
    expect((await api(`/api/ideas/${ideaId}/runs/${runId}/revert`, "POST")).status).toBe(200);
    expect(readFileSync(join(project, "edit.txt"), "utf8")).toBe("one\n");
    expect(readdirSync(traces)).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it("a revert removes what the run added only inside the project, never through a symlink swapped in later", async () => {
    const outside = mkdtempSync(join(tmpdir(), "catalyst-outside-"));
    writeFileSync(join(outside, "x.txt"), "precious\n");
    mkdirSync(join(project, "sub"));
    const runId = await build('@fake tool name=Write path=sub/x.txt content="added"');
    await catalyst.runs.whenIdle();
    expect(readFileSync(join(project, "sub", "x.txt"), "utf8")).toBe("added");
    // Later (another run, the user), the folder becomes a symlink to somewhere else.
    rmSync(join(project, "sub"), { recursive: true });
    symlinkSync(outside, join(project, "sub"));
    expect((await api(`/api/ideas/${ideaId}/runs/${runId}/revert`, "POST")).status).toBe(200);
    expect(readFileSync(join(outside, "x.txt"), "utf8")).toBe("precious\n");
  });
}
