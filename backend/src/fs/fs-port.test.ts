import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeFs } from "./fs-port.js";

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe("the real fs port", () => {
  it("creates folders and files only their owner can read (conversations, login sessions)", async () => {
    dir = await mkdtemp(join(tmpdir(), "catalyst-fsport-"));
    const fs = createNodeFs();
    const ideaDir = join(dir, "ideas", "x");
    await fs.mkdir(ideaDir);
    await fs.writeFileDurably(join(ideaDir, "meta.json"), "{}");
    await fs.appendFile(join(ideaDir, "events.ndjson"), "{}\n");

    expect((await stat(ideaDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(ideaDir, "meta.json"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(ideaDir, "events.ndjson"))).mode & 0o777).toBe(0o600);
  });
});
