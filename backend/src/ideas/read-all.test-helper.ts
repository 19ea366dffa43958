// Tests read a short transcript whole: every entry after `after`, collected from the store's stream.
import type { TranscriptEntry } from "@catalyst/shared";
import type { IdeaStore } from "./store.js";

export async function readAll(
  store: Pick<IdeaStore, "events">,
  id: string,
  after = 0,
): Promise<TranscriptEntry[]> {
  const out: TranscriptEntry[] = [];
  for await (const entry of store.events(id, after)) out.push(entry);
  return out;
}
