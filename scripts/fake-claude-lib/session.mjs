// Sessions under $HOME/.fake-claude/sessions/<cwd as a name>/<id>.json, so `--resume` works per folder.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function folderFor(cwd) {
  // Like ~/.claude/projects: the path with every non-alphanumeric character replaced by "-".
  return join(
    process.env.HOME || homedir(),
    ".fake-claude",
    "sessions",
    cwd.replace(/[^A-Za-z0-9]/g, "-"),
  );
}

/**
 * @returns {{ id: string, turns: object[], resumed: boolean } | { error: string }} an error, worded
 * like the real CLI's, when `resumeId` names no session of this folder.
 */
export function openSession(cwd, resumeId, newId) {
  if (resumeId === null) {
    return { id: newId ?? randomUUID(), turns: [], resumed: false, spent: NOTHING_SPENT };
  }
  if (!UUID.test(resumeId)) {
    return {
      error:
        "Error: --resume requires a valid session ID or session title when used with --print. Usage: claude -p --resume <session-id|title>",
    };
  }
  try {
    const data = JSON.parse(
      readFileSync(join(folderFor(cwd), `${resumeId.toLowerCase()}.json`), "utf8"),
    );
    return {
      id: resumeId,
      turns: Array.isArray(data.turns) ? data.turns : [],
      resumed: true,
      spent: spentOf(data.spent),
    };
  } catch {
    return { error: `No conversation found with session ID: ${resumeId}` };
  }
}

/** What a session has cost so far: the real CLI restores it on --resume (total_cost_usd, modelUsage). */
export const NOTHING_SPENT = {
  costUsd: 0,
  totals: { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 },
};

function spentOf(value) {
  const t = value?.totals ?? {};
  const n = (x) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
  return {
    costUsd: n(value?.costUsd),
    totals: {
      input: n(t.input),
      output: n(t.output),
      cacheCreation: n(t.cacheCreation),
      cacheRead: n(t.cacheRead),
    },
  };
}

/** `spent`: the session's totals after this run (restored ones included). */
export function saveSession(cwd, session, turn, spent = NOTHING_SPENT) {
  const dir = folderFor(cwd);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${session.id.toLowerCase()}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  // Write then rename: a run killed mid-write never leaves a half-written session.
  writeFileSync(
    tmp,
    JSON.stringify({ sessionId: session.id, cwd, turns: [...session.turns, turn], spent }),
  );
  renameSync(tmp, file);
}
