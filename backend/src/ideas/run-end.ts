// A run's end in the idea's meta: a build is no longer "building" but says how it ended, and the
// meta no longer names the run.
import type { IdeaStatus } from "@catalyst/shared";
import type { ActiveRun } from "./active-run.js";
import { statusAfterBuild } from "./idea-status.js";
import type { RecordedRun } from "./run-recorder.js";
import type { RunJournal } from "./run-journal.js";

/** `before`: the status before the run (null: it never began); `ended`: null if it never reported. */
export async function recordRunEnd(
  journal: RunJournal,
  ideaId: string,
  run: ActiveRun,
  before: IdeaStatus | null,
  ended: RecordedRun | null,
): Promise<void> {
  const after =
    run.mode === "build" && before !== null
      ? statusAfterBuild(before, ended?.outcome ?? null, ended?.errorResult ?? false)
      : null;
  let previous: IdeaStatus | null = null;
  const meta = await journal.update(ideaId, (m) => {
    previous = m.status;
    return { ...m, activeRunId: null, status: after ?? m.status };
  });
  if (meta && previous !== null && meta.status !== previous) {
    await journal.append(ideaId, run.runId, {
      type: "status_changed",
      status: meta.status,
      previous,
    });
  }
}
