import { describe, expect, it } from "vitest";
import { silentLogger } from "../deps.js";
import { memoryFs } from "../fs/memory-fs.test-helper.js";
import { createSweepLedger } from "./sweep-ledger.js";

const PATH = "/data/owed-sweeps.json";

describe("sweep ledger (DATA_DIR/owed-sweeps.json)", () => {
  it("gives the next process what this one saved", async () => {
    const fs = memoryFs();
    await createSweepLedger(fs, PATH, silentLogger).save([
      { runId: "r1", pgid: 4242 },
      { runId: "r2", pgid: null },
    ]);
    expect(await createSweepLedger(fs, PATH, silentLogger).load()).toEqual([
      { runId: "r1", pgid: 4242 },
      { runId: "r2", pgid: null },
    ]);
  });

  it("owes nothing without a file, and ignores one that is not valid (a bad run id included)", async () => {
    const fs = memoryFs();
    const ledger = createSweepLedger(fs, PATH, silentLogger);
    expect(await ledger.load()).toEqual([]);
    fs.files.set(PATH, "{ torn");
    expect(await ledger.load()).toEqual([]);
    fs.files.set(
      PATH,
      JSON.stringify({ version: 1, owed: [{ runId: "x; rm -rf ~", pgid: null }] }),
    );
    expect(await ledger.load()).toEqual([]);
  });

  it("keeps going when a save fails (the sweeps stay owed in memory)", async () => {
    const fs = memoryFs();
    fs.failWrites = true;
    const ledger = createSweepLedger(fs, PATH, silentLogger);
    await expect(ledger.save([{ runId: "r1", pgid: null }])).resolves.toBeUndefined();
    fs.failWrites = false;
    await ledger.save([{ runId: "r2", pgid: null }]);
    expect(await ledger.load()).toEqual([{ runId: "r2", pgid: null }]);
  });
});
