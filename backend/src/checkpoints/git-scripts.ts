// The git commands behind a build run's checkpoints, changes and revert. Plumbing only, with a
// temporary index: the user's branches, index, stash and working tree state stay as they are.
import { shellQuote } from "../exec/shell-quote.js";
import { RUN_ID_PATTERN } from "../runs/wrapper-script.js";

export type Checkpoint = "before" | "after";

/** Where a run's snapshots live: refs of our own, never a branch. */
export function checkpointRef(runId: string, which: Checkpoint): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`not a valid run id: ${runId}`);
  return `refs/catalyst/runs/${runId}/${which}`;
}

export const NO_GIT_EXIT = 94;
export const NO_CHECKPOINT_EXIT = 95;

/** Lines (after enterProjectLines) that make sure git is there and the folder is its own repo. */
const gitLines = [
  `command -v git >/dev/null 2>&1 || { echo "git is not installed on the target" >&2; exit ${NO_GIT_EXIT}; }`,
  // Its own repository even when inside another one: `git add -A` must see this folder only.
  "[ -e .git ] || git init -q . || exit 1",
  "GIT_AUTHOR_NAME=Catalyst; GIT_AUTHOR_EMAIL=catalyst@localhost",
  "GIT_COMMITTER_NAME=Catalyst; GIT_COMMITTER_EMAIL=catalyst@localhost",
  "export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL",
  // A private index, removed on exit: the user's own index is never read or written.
  'x=$(mktemp -d) || exit 1; trap \'rm -rf "$x"\' EXIT; GIT_INDEX_FILE="$x/index"; export GIT_INDEX_FILE',
];

/** Snapshots the folder (what .gitignore leaves) as a commit under the run's ref; prints its id. */
export function checkpointScript(runId: string, which: Checkpoint): string {
  const ref = checkpointRef(runId, which);
  const parent = which === "after" ? checkpointRef(runId, "before") : null;
  return [
    ...gitLines,
    "git add -A . || exit 1",
    "tree=$(git write-tree) || exit 1",
    parent === null
      ? "p="
      : `p=$(git rev-parse -q --verify ${shellQuote(`${parent}^{commit}`)}) && p="-p $p"`,
    `c=$(git commit-tree $p -m ${shellQuote(`catalyst: ${which} run ${runId}`)} "$tree") || exit 1`,
    `git update-ref ${shellQuote(ref)} "$c" || exit 1`,
    'echo "$c"',
  ].join("\n");
}

/** Both checkpoints of the run, or exit NO_CHECKPOINT_EXIT. Sets `b` and `a`. */
function bothLines(runId: string): string[] {
  return [
    ...gitLines,
    `b=$(git rev-parse -q --verify ${shellQuote(`${checkpointRef(runId, "before")}^{commit}`)}) || exit ${NO_CHECKPOINT_EXIT}`,
    `a=$(git rev-parse -q --verify ${shellQuote(`${checkpointRef(runId, "after")}^{commit}`)}) || exit ${NO_CHECKPOINT_EXIT}`,
  ];
}

/** name-status and numstat (NUL-separated, renames found), a marker line, then the patch, capped. */
export function changesScript(runId: string, patchMaxBytes: number): string {
  return [
    ...bothLines(runId),
    'git diff --no-ext-diff -M --name-status -z "$b" "$a" || exit 1',
    "printf '\\n__CATALYST_NUMSTAT__\\n'",
    'git diff --no-ext-diff -M --numstat -z "$b" "$a" || exit 1',
    "printf '\\n__CATALYST_PATCH__\\n'",
    `git diff --no-ext-diff --no-color -M "$b" "$a" | head -c ${patchMaxBytes + 1}`,
  ].join("\n");
}

/**
 * Puts back the paths the run changed, as they were before it: files it added are removed, the
 * others are written from the "before" snapshot. Paths the run did not touch stay as they are.
 * Prints how many paths it restored.
 */
export function revertScript(runId: string): string {
  return [
    ...bothLines(runId),
    'git read-tree "$b" || exit 1',
    'n=$(git diff --no-renames --name-only -z "$b" "$a" | tr -cd "\\0" | wc -c)',
    'git diff --no-renames --name-only -z --diff-filter=A "$b" "$a" | xargs -0 -r rm -f -- || exit 1',
    'git diff --no-renames --name-only -z --diff-filter=MDT "$b" "$a" | xargs -0 -r git checkout-index -f -- || exit 1',
    'echo "$n"',
  ].join("\n");
}
