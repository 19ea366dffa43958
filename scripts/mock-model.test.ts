import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";

const tsx = resolve(import.meta.dirname, "../node_modules/.bin/tsx");
const script = resolve(import.meta.dirname, "mock-model.ts");

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mock-model-cli-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("npm run mock-model", () => {
  it("prints its URL as JSON, serves the scenario file, and writes the requests on SIGTERM", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "s.json"),
      JSON.stringify({ turns: [{ type: "text", text: "From a file." }] }),
    );
    const child = spawn(tsx, [script, join(dir, "s.json"), "--requests", join(dir, "out.json")]);
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    const [line] = await once(createInterface({ input: child.stdout }), "line");
    const { url } = z.object({ url: z.string() }).parse(JSON.parse(String(line)));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const res = await fetch(`${url}/v1/messages`, {
      method: "POST",
      body: JSON.stringify({ model: "m", tools: [{ name: "Read" }], messages: [] }),
    });
    expect(await res.json()).toMatchObject({ content: [{ type: "text", text: "From a file." }] });

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const recorded: unknown = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    expect(recorded).toMatchObject([
      { method: "POST", path: "/v1/messages", kind: "main", turn: 0 },
    ]);
  });

  it("refuses an invalid scenario file with a message and exit code 2", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ turns: [{ type: "nope" }] }));
    const child = spawn(tsx, [script, join(dir, "bad.json")]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const code = await new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    expect(code).toBe(2);
    expect(stderr).toContain("Invalid scenario");
    expect(stderr).toContain("turns.0");
  });
});
