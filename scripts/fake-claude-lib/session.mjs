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
  if (resumeId === null) return { id: newId ?? randomUUID(), turns: [], resumed: false };
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
    return { id: resumeId, turns: Array.isArray(data.turns) ? data.turns : [], resumed: true };
  } catch {
    return { error: `No conversation found with session ID: ${resumeId}` };
  }
}

export function saveSession(cwd, session, turn) {
  const dir = folderFor(cwd);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${session.id.toLowerCase()}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  // Write then rename: a run killed mid-write never leaves a half-written session.
  writeFileSync(
    tmp,
    JSON.stringify({ sessionId: session.id, cwd, turns: [...session.turns, turn] }),
  );
  renameSync(tmp, file);
}
