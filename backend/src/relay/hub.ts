// In-process fan-out: transcript entries per idea, and "an idea changed" notices for every viewer.
import type { TranscriptEntry } from "@catalyst/shared";

export type EntryListener = (entry: TranscriptEntry) => void;
export type IdeaChangedListener = (ideaId: string, deleted: boolean) => void;

export interface Hub {
  /** Listeners run synchronously in subscription order, so every viewer sees the same order. */
  subscribe(ideaId: string, listener: EntryListener): () => void;
  publish(ideaId: string, entry: TranscriptEntry): void;
  onIdeaChanged(listener: IdeaChangedListener): () => void;
  ideaChanged(ideaId: string, deleted?: boolean): void;
}

/**
 * `onListenerError` sees what a listener threw: one broken viewer must not keep an entry from the
 * viewers after it (a gap for them) nor fail the write that published it.
 */
export function createHub(onListenerError: (err: unknown) => void): Hub {
  const byIdea = new Map<string, Set<EntryListener>>();
  const changed = new Set<IdeaChangedListener>();
  const call = <A extends unknown[]>(listener: (...args: A) => void, ...args: A) => {
    try {
      listener(...args);
    } catch (err) {
      onListenerError(err);
    }
  };
  return {
    subscribe(ideaId, listener) {
      let set = byIdea.get(ideaId);
      if (!set) byIdea.set(ideaId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && byIdea.get(ideaId) === set) byIdea.delete(ideaId);
      };
    },
    publish(ideaId, entry) {
      for (const listener of [...(byIdea.get(ideaId) ?? [])]) call(listener, entry);
    },
    onIdeaChanged(listener) {
      changed.add(listener);
      return () => changed.delete(listener);
    },
    ideaChanged(ideaId, deleted = false) {
      for (const listener of [...changed]) call(listener, ideaId, deleted);
    },
  };
}
