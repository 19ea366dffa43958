// The files API's tests, written once and run against each executor (local and SSH).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  apiErrorSchema,
  fileContentSchema,
  fileListingSchema,
  ideaMetaSchema,
} from "@catalyst/shared";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Executor } from "../src/exec/executor.js";
import { FILE_TEXT_MAX_BYTES } from "../src/files/files-service.js";
import { makeHarness, type Harness } from "./server-harness.js";

export function filesTests(executorOf: () => Executor): void {
  let h: Harness;
  let project: string;
  let ideaId: string;
  beforeEach(async () => {
    const remoteRoot = mkdtempSync(join(tmpdir(), "catalyst-files-"));
    h = await makeHarness({ project: { executor: executorOf(), remoteRoot } });
    const res = await h.json("/api/ideas", "POST", { title: "Files", description: "" });
    ideaId = ideaMetaSchema.parse(await res.json()).id;
    project = join(remoteRoot, "ideas", ideaId, "project");
    mkdirSync(join(project, "src", "deep"), { recursive: true });
    writeFileSync(join(project, "README.md"), "# Hello\n\nünï 🚀\n");
    writeFileSync(join(project, "src", "app.ts"), "export const x = 1;\n");
    writeFileSync(join(project, "src", "deep", "tab\tname.txt"), "odd name\n");
    writeFileSync(join(project, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    writeFileSync(join(project, "big.txt"), "a".repeat(FILE_TEXT_MAX_BYTES + 10));
    symlinkSync("src/app.ts", join(project, "inside-link"));
    symlinkSync("/etc/passwd", join(project, "passwd-link"));
    symlinkSync("/etc", join(project, "etc-link"));
    symlinkSync("../../..", join(project, "up-link"));
  });
  afterEach(async () => {
    await h.cleanup();
  });

  const get = (path: string) => h.api(`/api/ideas/${ideaId}${path}`);
  const q = (p: string) => encodeURIComponent(p);

  it("lists the project folder: folders first, then files, with type, size and mtime", async () => {
    const res = await get("/files");
    expect(res.status).toBe(200);
    const listing = fileListingSchema.parse(await res.json());
    expect(listing.path).toBe("");
    expect(listing.truncated).toBe(false);
    const byName = Object.fromEntries(listing.entries.map((e) => [e.name, e]));
    expect(listing.entries[0]?.name).toBe("src");
    expect(byName["src"]?.type).toBe("dir");
    expect(byName["README.md"]).toMatchObject({
      type: "file",
      size: Buffer.byteLength("# Hello\n\nünï 🚀\n"),
    });
    expect(byName["inside-link"]?.type).toBe("symlink");
    expect(byName["README.md"]?.mtime).toBeGreaterThan(Date.now() - 600_000);
  });

  it("lists a sub-folder, odd names included", async () => {
    const listing = fileListingSchema.parse(
      await (await get(`/files?path=${q("src/deep/")}`)).json(),
    );
    expect(listing).toMatchObject({ path: "src/deep" });
    expect(listing.entries.map((e) => e.name)).toEqual(["tab\tname.txt"]);
  });

  it("reads a text file as UTF-8, flags a binary one, and cuts a big one at the cap", async () => {
    const text = fileContentSchema.parse(await (await get(`/files/content?path=README.md`)).json());
    expect(text).toMatchObject({ content: "# Hello\n\nünï 🚀\n", binary: false, truncated: false });
    const bin = fileContentSchema.parse(await (await get(`/files/content?path=logo.png`)).json());
    expect(bin).toMatchObject({ content: null, binary: true, size: 8 });
    const big = fileContentSchema.parse(await (await get(`/files/content?path=big.txt`)).json());
    expect(big).toMatchObject({ truncated: true, size: FILE_TEXT_MAX_BYTES + 10 });
    expect(big.content?.length).toBe(FILE_TEXT_MAX_BYTES);
  });

  it("follows a symlink that stays inside the project", async () => {
    const res = await get(`/files/content?path=inside-link`);
    expect(fileContentSchema.parse(await res.json()).content).toBe("export const x = 1;\n");
  });

  it("refuses every way out of the project folder with a 4xx and a message", async () => {
    const cases: Array<[string, number]> = [
      ["/files/content?path=..%2F..%2Fmeta.json", 400],
      ["/files/content?path=src%2F..%2F..%2F..%2Fmeta.json", 400],
      ["/files/content?path=%2Fetc%2Fpasswd", 400],
      ["/files/content?path=~%2F.ssh%2Fid_ed25519", 400],
      ["/files/content?path=src%5C..%5C..%5Cx", 400],
      ["/files/content?path=a%00b", 400],
      ["/files?path=..", 400],
      ["/files/raw?path=..%2F..%2Fmeta.json", 400],
      ["/files/content?path=passwd-link", 403],
      ["/files/raw?path=passwd-link", 403],
      ["/files?path=etc-link", 403],
      ["/files/content?path=etc-link%2Fpasswd", 403],
      ["/files?path=up-link", 403],
      ["/files/content?path=up-link%2Fmeta.json", 403],
      ["/files/content?path=up-link%2Fno-such-file", 403],
      ["/files?path=up-link%2Fideas", 403],
    ];
    for (const [path, status] of cases) {
      const res = await get(path);
      expect({ path, status: res.status }).toEqual({ path, status });
      const { error } = apiErrorSchema.parse(await res.json());
      expect(error.message.length).toBeGreaterThan(5);
      expect(JSON.stringify(error)).not.toContain("root:x:0");
    }
  });

  it("answers 404 for a missing path and 400 for the wrong kind", async () => {
    expect((await get(`/files/content?path=nope.txt`)).status).toBe(404);
    expect((await get(`/files?path=README.md`)).status).toBe(400);
    expect((await get(`/files/content?path=src`)).status).toBe(400);
    expect((await h.api(`/api/ideas/nope/files`)).status).toBe(404);
  });

  it("downloads one file byte for byte, and shows an image inline under a sandbox policy", async () => {
    const res = await get(`/files/raw?path=logo.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-security-policy")).toContain("sandbox");
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]),
    );
    const md = await get(`/files/raw?path=README.md&download`);
    expect(md.headers.get("content-type")).toBe("application/octet-stream");
    expect(md.headers.get("content-disposition")).toContain('filename="README.md"');
    expect(await md.text()).toBe("# Hello\n\nünï 🚀\n");
  });

  it("downloads the whole project as a tar.gz streamed from the target", async () => {
    const res = await get(`/files/archive`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("Files.tar.gz");
    const dir = mkdtempSync(join(tmpdir(), "catalyst-archive-"));
    writeFileSync(join(dir, "a.tar.gz"), Buffer.from(await res.arrayBuffer()));
    const names = execFileSync("tar", ["-tzf", join(dir, "a.tar.gz")], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(names).toEqual(
      expect.arrayContaining(["./README.md", "./src/app.ts", "./big.txt", "./passwd-link"]),
    );
  });

  const tarPids = async (): Promise<number[]> => {
    const r = await executorOf().run(
      `ps -eo pid=,args= | grep -F -- ${JSON.stringify(`-C ${project}`)} | grep -v grep || true`,
    );
    return r.stdout
      .split("\n")
      .flatMap((l) => (/^\s*(\d+) tar /.test(l) ? [Number(l.trim().split(" ")[0])] : []));
  };
  const bigProject = () => writeFileSync(join(project, "noise.bin"), randomBytes(24 * 1024 * 1024));

  it("an archive whose tar dies mid-stream fails the download instead of ending it as if complete", async () => {
    bigProject();
    const res = await get(`/files/archive`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    const pids = await tarPids();
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, "SIGKILL");
    const rest = (async () => {
      for (;;) if ((await reader.read()).done) return "ended";
    })();
    await expect(rest).rejects.toThrow();
  });

  it("a download the reader gives up on leaves no tar running on the target", async () => {
    bigProject();
    const res = await get(`/files/archive`);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect((await tarPids()).length).toBeGreaterThan(0);
    await reader.cancel();
    for (let i = 0; i < 50 && (await tarPids()).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await tarPids()).toEqual([]);
  });
}
