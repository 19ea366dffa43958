import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";

let dist: string;
let h: Harness;
beforeEach(async () => {
  dist = await mkdtemp(join(tmpdir(), "catalyst-dist-"));
  await mkdir(join(dist, "assets"));
  await writeFile(join(dist, "index.html"), "<!doctype html><title>Catalyst</title>");
  await writeFile(join(dist, "assets", "app.js"), "console.log('app')");
  await writeFile(join(dist, "..", "catalyst-secret.txt"), "secret");
  h = await makeHarness({ staticDir: dist });
});
afterEach(async () => {
  await h.cleanup();
  await rm(dist, { recursive: true, force: true });
  await rm(join(dist, "..", "catalyst-secret.txt"), { force: true });
});

const get = (path: string) => h.catalyst.app.request(path);

describe("the built page", () => {
  it("serves index.html at / and files under assets/ without auth", async () => {
    const index = await get("/");
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("<title>Catalyst</title>");
    const js = await get("/assets/app.js");
    expect(js.headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers page routes with index.html (the page routes itself), but API misses with JSON 404", async () => {
    expect(await (await get("/ideas/abcdefghijklmnopqrstu")).text()).toContain(
      "<title>Catalyst</title>",
    );
    const api = await get("/api/nothing");
    expect(api.status).toBe(401);
    const authed = await h.api("/api/nothing");
    expect(authed.status).toBe(404);
    expect(await authed.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("never serves a file outside the folder", async () => {
    for (const path of [
      "/../catalyst-secret.txt",
      "/%2e%2e/catalyst-secret.txt",
      "/assets/..%2f..%2fcatalyst-secret.txt",
    ]) {
      expect(await (await get(path)).text()).not.toContain("secret");
    }
  });
});
