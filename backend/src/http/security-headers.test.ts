import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeHarness, type Harness } from "../../test/server-harness.js";

let h: Harness;
let dist: string;
afterEach(async () => {
  await h.cleanup();
  await rm(dist, { recursive: true, force: true });
});

describe("security headers", () => {
  it("go out on every response: the page, the API, its errors, and unknown paths", async () => {
    dist = await mkdtemp(join(tmpdir(), "catalyst-dist-"));
    await writeFile(join(dist, "index.html"), "<!doctype html><p>page</p>");
    h = await makeHarness({ staticDir: dist });
    const responses = [
      await h.catalyst.app.request("/"),
      await h.catalyst.app.request("/#/idea/x"),
      await h.catalyst.app.request("/api/health"),
      await h.catalyst.app.request("/api/ideas"), // 401
      await h.api("/api/ideas/abcdefghijklmnopqrstu"), // 404 from the store
      await h.api("/api/nothing"),
      await h.catalyst.app.request("/api/login", { method: "POST", body: "not json" }), // 400
    ];
    for (const res of responses) {
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });
});
