// The idea store: DATA_DIR/ideas/<id>/meta.json and events.ndjson, serialized per idea.
import {
  ideaIdSchema,
  ideaMetaSchema,
  type IdeaMeta,
  type OutputSource,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";
import { join } from "node:path";
import type { Clock } from "../clock.js";
import type { Ids, Logger } from "../deps.js";
import { AppError } from "../http/app-error.js";
import { TEMP_SUFFIX, writeAtomic } from "../fs/atomic-write.js";
import type { FsPort } from "../fs/fs-port.js";
import { createKeyedMutex } from "../fs/keyed-mutex.js";
import { readEntries, recoverTranscript } from "./transcript.js";

export interface IdeaStore {
  /** Every readable idea, newest first. */
  list(): Promise<IdeaMeta[]>;
  /** The meta (with `lastSeq`), or a 404 AppError. */
  get(id: string): Promise<IdeaMeta>;
  create(input: { title: string; description: string }): Promise<IdeaMeta>;
  /** Reads, changes and writes the meta as one step; `change` may throw to refuse. */
  update(id: string, change: (meta: IdeaMeta) => IdeaMeta): Promise<IdeaMeta>;
  remove(id: string): Promise<void>;
  /**
   * Appends to the transcript with the next seq; `onAppended` sees entries in seq order. `src`
   * (where a run's event came from in its output files) is written in the same line as the event:
   * a crash keeps both or neither.
   */
  append(
    id: string,
    runId: string | null,
    event: TranscriptEvent,
    src?: OutputSource | null,
  ): Promise<TranscriptEntry>;
  /**
   * Transcript entries with seq > after, in seq order, read a chunk at a time as they are
   * consumed: everything appended before the first `next()` (a 404 AppError then for an unknown
   * idea), nothing appended later. Callers that also follow live entries drop repeated seqs.
   */
  events(id: string, after: number): AsyncGenerator<TranscriptEntry>;
  /**
   * One page of `events`: at most `limit` entries and about PAGE_MAX_BYTES of them (always at
   * least one). `nextAfter` is the `after` of the next page, or null when this one reached the end.
   */
  readPage(id: string, after: number, limit: number): Promise<TranscriptPage>;
}

export interface TranscriptPage {
  entries: TranscriptEntry[];
  nextAfter: number | null;
}

/** What one page of history may hold in memory, whatever its entry count. */
export const PAGE_MAX_BYTES = 4 * 1024 * 1024;

export interface IdeaStoreOptions {
  fs: FsPort;
  dataDir: string;
  clock: Clock;
  ids: Ids;
  logger: Logger;
  /** Called inside the idea's lock, in seq order, once the entry is on disk. */
  onAppended?: (ideaId: string, entry: TranscriptEntry) => void;
}

interface Pending {
  runId: string | null;
  event: TranscriptEvent;
  src: OutputSource | null;
  resolve: (entry: TranscriptEntry) => void;
  reject: (err: unknown) => void;
}

const META = "meta.json";
const EVENTS = "events.ndjson";

export function createIdeaStore(opts: IdeaStoreOptions): IdeaStore {
  const { fs, clock, ids, logger } = opts;
  const root = join(opts.dataDir, "ideas");
  const lock = createKeyedMutex();
  const lastSeqs = new Map<string, number>();
  const pending = new Map<string, Pending[]>();

  /** The only way an id becomes a path: anything but a nanoid is a 404, never a file name. */
  function dirOf(id: string): string {
    if (!ideaIdSchema.safeParse(id).success) throw new AppError("not_found", "no such idea");
    return join(root, id);
  }

  function checked(id: string): string {
    dirOf(id);
    return id;
  }

  async function readMeta(id: string): Promise<IdeaMeta | null> {
    const text = await fs.readFile(join(dirOf(id), META));
    if (text === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ideaMetaSchema.safeParse(json);
    if (!parsed.success || parsed.data.id !== id) {
      logger.error("unreadable meta.json", { ideaId: id });
      throw new AppError("internal", `the idea ${id} has an unreadable meta.json`);
    }
    return parsed.data;
  }

  async function seqOf(id: string): Promise<number> {
    const known = lastSeqs.get(id);
    if (known !== undefined) return known;
    const found = await recoverTranscript(fs, join(dirOf(id), EVENTS), logger);
    lastSeqs.set(id, found.lastSeq);
    return found.lastSeq;
  }

  async function mustRead(id: string): Promise<IdeaMeta> {
    const meta = await readMeta(id);
    if (meta === null) throw new AppError("not_found", "no such idea");
    return { ...meta, lastSeq: await seqOf(id) };
  }

  async function writeMeta(meta: IdeaMeta): Promise<void> {
    // lastSeq is derived from the transcript, so it is not stored (it would always be stale).
    const { lastSeq: _derived, ...stored } = meta;
    await writeAtomic(fs, join(dirOf(meta.id), META), `${JSON.stringify(stored, null, 2)}\n`);
  }

  async function flush(id: string): Promise<void> {
    const batch = pending.get(id) ?? [];
    pending.delete(id);
    if (batch.length === 0) return;
    try {
      // No meta read here (this is the hot path): appending to a deleted idea fails on its own,
      // since the folder is gone and appendFile does not create folders.
      let seq = await seqOf(id);
      const ts = new Date(clock.now()).toISOString();
      const entries = batch.map((p): TranscriptEntry => ({
        seq: ++seq,
        ts,
        runId: p.runId,
        event: p.event,
        ...(p.src ? { src: p.src } : {}),
      }));
      const lines = entries.map((e) => `${JSON.stringify(e)}\n`);
      await fs.appendFile(join(dirOf(id), EVENTS), lines.join(""));
      lastSeqs.set(id, seq);
      for (const [i, entry] of entries.entries()) {
        try {
          opts.onAppended?.(id, entry);
        } catch (err) {
          // A failing listener must not cost the other entries their delivery.
          logger.error("a transcript listener failed", { ideaId: id, error: String(err) });
        }
        batch[i]?.resolve(entry);
      }
    } catch (err) {
      // Part of the batch may be on disk (a disk that filled mid-write): forget the cached seq so
      // the next append re-reads the file, cutting a torn line, instead of writing onto its end.
      lastSeqs.delete(id);
      for (const p of batch) p.reject(err);
    }
  }

  return {
    async list() {
      const names = await fs.readdir(root);
      const metas: IdeaMeta[] = [];
      for (const name of names) {
        if (!ideaIdSchema.safeParse(name).success) continue;
        try {
          metas.push(await lock.run(name, () => mustRead(name)));
        } catch (err) {
          // A folder whose meta.json was never written (a crash right after mkdir) is not an idea;
          // one broken idea must not hide the others.
          if (!(err instanceof AppError && err.code === "not_found")) {
            logger.warn("skipping an idea in the list", { ideaId: name, error: String(err) });
          }
        }
      }
      return metas.sort(
        (a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id),
      );
    },

    get: async (id) => lock.run(checked(id), () => mustRead(id)),

    async create(input) {
      const id = ids.ideaId();
      const now = new Date(clock.now()).toISOString();
      const meta: IdeaMeta = {
        id,
        title: input.title,
        description: input.description,
        status: "captured",
        sessionId: null,
        createdAt: now,
        updatedAt: now,
        totalCostUsd: 0,
        runs: 0,
        activeRunId: null,
      };
      return lock.run(id, async () => {
        await fs.mkdir(dirOf(id));
        try {
          await writeMeta(meta);
        } catch (err) {
          // A folder without meta.json is no idea: do not leave it behind (a full disk).
          await fs.rm(dirOf(id)).catch(() => undefined);
          throw err;
        }
        lastSeqs.set(id, 0);
        return { ...meta, lastSeq: 0 };
      });
    },

    update: async (id, change) =>
      lock.run(checked(id), async () => {
        const current = await mustRead(id);
        const next = ideaMetaSchema.parse({
          ...change(current),
          id,
          updatedAt: new Date(clock.now()).toISOString(),
        });
        await writeMeta(next);
        return { ...next, lastSeq: current.lastSeq };
      }),

    remove: async (id) =>
      lock.run(checked(id), async () => {
        await mustRead(id);
        await fs.rm(dirOf(id));
        lastSeqs.delete(id);
      }),

    append(id, runId, event, src = null) {
      return new Promise<TranscriptEntry>((resolve, reject) => {
        dirOf(id);
        const item: Pending = { runId, event, src, resolve, reject };
        const queue = pending.get(id);
        if (queue) {
          queue.push(item);
          return;
        }
        // One write per batch: events that arrive while a write is in flight go out together.
        pending.set(id, [item]);
        void lock.run(id, () => flush(id));
      });
    },

    async *events(id, after) {
      // Not under the idea's lock: a long history must not hold up the run's appends. Appends only
      // ever add whole lines at the end, and the read stops at the size the file had when it
      // began; a last line without its newline is one still being written, left to the live feed.
      if ((await readMeta(id)) === null) throw new AppError("not_found", "no such idea");
      const path = join(dirOf(id), EVENTS);
      const size = (await fs.size(path)) ?? 0;
      for await (const { entry } of readEntries(fs, path, size, after, logger)) yield entry;
    },

    async readPage(id, after, limit) {
      if ((await readMeta(id)) === null) throw new AppError("not_found", "no such idea");
      const path = join(dirOf(id), EVENTS);
      const size = (await fs.size(path)) ?? 0;
      const entries: TranscriptEntry[] = [];
      let bytes = 0;
      for await (const { entry, bytes: lineBytes } of readEntries(fs, path, size, after, logger)) {
        if (entries.length >= limit || (entries.length > 0 && bytes + lineBytes > PAGE_MAX_BYTES)) {
          return { entries, nextAfter: entries.at(-1)?.seq ?? after };
        }
        entries.push(entry);
        bytes += lineBytes;
      }
      return { entries, nextAfter: null };
    },
  };
}

/**
 * Removes what a crash or a full disk left: temp files between write and rename (the meta.json
 * itself is intact), and idea folders with nothing in them (mkdir done, meta.json never written).
 * Returns how many were removed.
 */
export async function removeCrashLeftovers(fs: FsPort, dataDir: string): Promise<number> {
  const root = join(dataDir, "ideas");
  let removed = 0;
  for (const name of await fs.readdir(root)) {
    if (!ideaIdSchema.safeParse(name).success) continue;
    let left = 0;
    for (const file of await fs.readdir(join(root, name))) {
      if (file.startsWith(".") && file.endsWith(TEMP_SUFFIX)) {
        await fs.rm(join(root, name, file));
        removed++;
      } else left++;
    }
    if (left === 0) {
      await fs.rm(join(root, name));
      removed++;
    }
  }
  return removed;
}
