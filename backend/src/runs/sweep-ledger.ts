// DATA_DIR/owed-sweeps.json: the runs whose leftovers still wait for a sweep (their link dropped),
// so a restart does not forget them. Read with zod, written atomically.
import { dirname } from "node:path";
import { z } from "zod";
import type { Logger } from "../deps.js";
import { writeAtomic } from "../fs/atomic-write.js";
import type { FsPort } from "../fs/fs-port.js";
import { RUN_ID_PATTERN } from "./wrapper-script.js";

export const OWED_SWEEPS_FILE = "owed-sweeps.json";

export interface OwedSweep {
  runId: string;
  /** The run's process group when it was known (swept only if a marked process is still in it). */
  pgid: number | null;
}

export interface SweepLedger {
  /** The sweeps a previous process still owed; [] when none or the file is unusable. */
  load(): Promise<OwedSweep[]>;
  save(owed: readonly OwedSweep[]): Promise<void>;
}

const fileSchema = z.object({
  version: z.literal(1),
  owed: z.array(
    z.object({ runId: z.string().regex(RUN_ID_PATTERN), pgid: z.number().int().min(2).nullable() }),
  ),
});

export function createSweepLedger(fs: FsPort, path: string, logger: Logger): SweepLedger {
  // One write at a time, in order: the last save wins.
  let writing: Promise<void> = Promise.resolve();
  return {
    async load() {
      let text: string | null;
      try {
        text = await fs.readFile(path);
      } catch (err) {
        logger.warn("cannot read the owed sweeps", { path, error: String(err) });
        return [];
      }
      if (text === null) return [];
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
      const parsed = fileSchema.safeParse(json);
      if (!parsed.success) {
        logger.warn("the owed sweeps file is not valid: ignored", { path });
        return [];
      }
      return parsed.data.owed;
    },
    save(owed) {
      const data = JSON.stringify({ version: 1, owed }, null, 2);
      writing = writing.then(() =>
        (async () => {
          await fs.mkdir(dirname(path));
          await writeAtomic(fs, path, data);
        })().catch((err: unknown) => {
          // The sweeps are still owed in memory; only a crash before the next save forgets them.
          logger.warn("cannot save the owed sweeps", { path, error: String(err) });
        }),
      );
      return writing;
    },
  };
}
