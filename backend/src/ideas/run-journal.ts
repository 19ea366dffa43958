// Where a run's events and meta changes are written: a failed write is logged and never thrown
// (a run must still end), and a run whose event could not be written is stopped and marked.
import type { IdeaMeta, OutputSource, TranscriptEvent } from "@catalyst/shared";
import type { Logger } from "../deps.js";
import type { Hub } from "../relay/hub.js";
import type { ActiveRun } from "./active-run.js";
import type { IdeaStore } from "./store.js";

export interface RunJournal {
  append(
    ideaId: string,
    runId: string | null,
    event: TranscriptEvent,
    run?: ActiveRun,
    /** Where the event came from in the run's output files (written in the same line). */
    src?: OutputSource | null,
  ): Promise<void>;
  /** The meta after the change, or null when it could not be written (logged). */
  update(ideaId: string, change: (meta: IdeaMeta) => IdeaMeta): Promise<IdeaMeta | null>;
}

export function createRunJournal(deps: { store: IdeaStore; hub: Hub; logger: Logger }): RunJournal {
  const { store, hub, logger } = deps;
  return {
    /**
     * Appends one of a run's events. An event that cannot be written (a full disk) must not go
     * missing silently from a run that then says "completed": the run is stopped, marked, and its
     * end says why (written if the disk has room again by then).
     */
    async append(ideaId, runId, event, run, src) {
      try {
        await store.append(ideaId, runId, event, src);
      } catch (err) {
        logger.error("could not append to the transcript", {
          ideaId,
          eventType: event.type,
          error: String(err),
        });
        if (run && !run.eventsLost) {
          run.eventsLost = true;
          run.handle?.cancel();
        }
      }
    },

    async update(ideaId, change) {
      try {
        const meta = await store.update(ideaId, change);
        hub.ideaChanged(ideaId);
        return meta;
      } catch (err) {
        logger.error("could not update meta.json", { ideaId, error: String(err) });
        return null;
      }
    },
  };
}
