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
  // The project's .git is writable by whatever runs there (Claude included): nothing in it may
  // run code through us or point us elsewhere. This folder is the work tree (not core.worktree);
  // every later `git "$@"` turns off hooks, fsmonitor and every configured filter driver
  // (diffs also take --no-textconv --no-ext-diff). A filter name git cannot take as -c fails.
  'GIT_DIR="$root/.git"; GIT_WORK_TREE="$root"; export GIT_DIR GIT_WORK_TREE',
  "set -- -c core.hooksPath=/dev/null -c core.fsmonitor=false -c commit.gpgSign=false",
  "k=$(git config --name-only --get-regexp '^filter[.]' 2>/dev/null)",
  'while IFS= read -r k; do case "$k" in',
  '  *.clean|*.smudge|*.process) set -- "$@" -c "$k=" ;;',
  '  *.required) set -- "$@" -c "$k=false" ;;',
  "esac; done <<CATALYST_FILTERS",
  "$k",
  "CATALYST_FILTERS",
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
    'git "$@" add -A . || exit 1',
    'tree=$(git "$@" write-tree) || exit 1',
    parent === null
      ? "p="
      : `p=$(git "$@" rev-parse -q --verify ${shellQuote(`${parent}^{commit}`)}) && p="-p $p"`,
    `c=$(git "$@" commit-tree $p -m ${shellQuote(`catalyst: ${which} run ${runId}`)} "$tree") || exit 1`,
    `git "$@" update-ref ${shellQuote(ref)} "$c" || exit 1`,
    'echo "$c"',
  ].join("\n");
}

/** Both checkpoints of the run, or exit NO_CHECKPOINT_EXIT. Sets `b` and `a`. */
function bothLines(runId: string): string[] {
  return [
    ...gitLines,
    `b=$(git "$@" rev-parse -q --verify ${shellQuote(`${checkpointRef(runId, "before")}^{commit}`)}) || exit ${NO_CHECKPOINT_EXIT}`,
    `a=$(git "$@" rev-parse -q --verify ${shellQuote(`${checkpointRef(runId, "after")}^{commit}`)}) || exit ${NO_CHECKPOINT_EXIT}`,
  ];
}

/** name-status and numstat (NUL-separated, renames found), a marker line, then the patch, capped. */
export function changesScript(runId: string, patchMaxBytes: number): string {
  return [
    ...bothLines(runId),
    'git "$@" diff --no-ext-diff --no-textconv -M --name-status -z "$b" "$a" || exit 1',
    "printf '\\n__CATALYST_NUMSTAT__\\n'",
    'git "$@" diff --no-ext-diff --no-textconv -M --numstat -z "$b" "$a" || exit 1',
    "printf '\\n__CATALYST_PATCH__\\n'",
    `git "$@" diff --no-ext-diff --no-textconv --no-color -M "$b" "$a" | head -c ${patchMaxBytes + 1}`,
  ].join("\n");
}

/**
 * Removes each path (relative to the project folder, `$1`) only from a real folder inside it: a
 * folder swapped for a symlink since the run (to `~`, say) is left alone, so rm never reaches
 * outside. The check and the rm happen in the folder itself (cd -P), not again through its path.
 */
const removeAdded = [
  "r=$1; shift; s=0",
  "for p; do",
  '  case "$p" in */*) d=${p%/*}; w=$r/$d ;; *) d=.; w=$r ;; esac',
  '  ( cd -P -- "$d" 2>/dev/null || exit 0',
  '    [ "$(pwd -P)" = "$w" ] || { printf \'%s: left alone (a symlink on the way)\\n\' "$p" >&2; exit 0; }',
  '    rm -f -- "./${p##*/}" ) || s=1',
  "done",
  'exit "$s"',
].join("\n");

/**
 * Puts back the paths the run changed, as they were before it: files it added are removed, the
 * others are written from the "before" snapshot. Paths the run did not touch stay as they are.
 * Prints how many paths it restored.
 */
export function revertScript(runId: string): string {
  return [
    ...bothLines(runId),
    'git "$@" read-tree "$b" || exit 1',
    'n=$(git "$@" diff --no-renames --name-only -z "$b" "$a" | tr -cd "\\0" | wc -c)',
    `git "$@" diff --no-renames --name-only -z --diff-filter=A "$b" "$a" | xargs -0 -r sh -c ${shellQuote(removeAdded)} sh "$root" || exit 1`,
    // checkout-index itself replaces a symlink on the way by a folder, never writes through it.
    'git "$@" diff --no-renames --name-only -z --diff-filter=MDT "$b" "$a" | xargs -0 -r git "$@" checkout-index -f -- || exit 1',
    'echo "$n"',
  ].join("\n");
}
