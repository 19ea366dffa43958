import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenario, parseScenario } from "./scenario.js";

describe("scenario", () => {
  it("fills in defaults for a minimal script", () => {
    const r = parseScenario({ turns: [{ type: "error", status: 500 }] });
    expect(r.success && r.data.turns[0]).toEqual({ type: "error", status: 500, times: 1 });
    expect(r.success && r.data.sideText).toBe("Mock title");
  });

  it("names the offending field when a turn is wrong", () => {
    const r = parseScenario({ turns: [{ type: "tool", input: {} }] });
    expect(r.success).toBe(false);
    expect(!r.success && r.error).toContain("turns.0.name");
  });

  it("reports a file that is not JSON instead of throwing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scenario-"));
    writeFileSync(join(dir, "bad.json"), "{ nope");
    const r = await loadScenario(join(dir, "bad.json"));
    rmSync(dir, { recursive: true, force: true });
    expect(!r.success && r.error).toMatch(/Cannot read scenario .*bad\.json/);
  });
});
