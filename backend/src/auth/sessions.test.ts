import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import { silentLogger } from "../deps.js";
import { hashToken, type SessionFile, type StoredSession } from "./session-file.js";
import { createSessions } from "./sessions.js";

const manualClock = (start = 1_000_000) => new ManualClock(start);

/** A SessionFile that keeps what was saved, to see what a restart would read. */
function fakeFile(initial: StoredSession[] = [], failSaves = false) {
  const saves: StoredSession[][] = [];
  const file: SessionFile & { saves: StoredSession[][]; saved(): StoredSession[] } = {
    saves,
    saved: () => saves.at(-1) ?? initial,
    load: async () => initial,
    async save(sessions) {
      if (failSaves) throw new Error("disk full");
      saves.push([...sessions]);
    },
  };
  return file;
}

describe("sessions", () => {
  it("saves a new session as the hash of its token, and a restart over the saved file accepts the token", async () => {
    const clock = manualClock();
    const file = fakeFile();
    const sessions = createSessions(clock, file, silentLogger, 10_000);
    await sessions.load();
    const token = await sessions.create();
    expect(file.saved()).toEqual([
      { tokenHash: hashToken(token), createdAt: 1_000_000, expiresAt: 1_010_000 },
    ]);
    const restarted = createSessions(clock, fakeFile(file.saved()), silentLogger, 10_000);
    expect(restarted.isValid(token)).toBe(false);
    await restarted.load();
    expect(restarted.isValid(token)).toBe(true);
    expect(restarted.isValid("another-token")).toBe(false);
    expect(restarted.isValid(undefined)).toBe(false);
  });

  it("logout revokes at once, tells the listeners, and the saved file no longer holds the session", async () => {
    const file = fakeFile();
    const sessions = createSessions(manualClock(), file, silentLogger);
    const token = await sessions.create();
    const other = await sessions.create();
    const revoked: string[] = [];
    sessions.onRevoke((t) => revoked.push(t));
    const done = sessions.revoke(token);
    expect(sessions.isValid(token)).toBe(false);
    expect(revoked).toEqual([token]);
    await done;
    expect(file.saved().map((s) => s.tokenHash)).toEqual([hashToken(other)]);
  });

  it("an expired session is refused, left out of the next save, and dropped (and rewritten) at load", async () => {
    const clock = manualClock();
    const file = fakeFile();
    const sessions = createSessions(clock, file, silentLogger, 10_000);
    const old = await sessions.create();
    clock.advance(10_000);
    expect(sessions.isValid(old)).toBe(false);
    const fresh = await sessions.create();
    expect(file.saved().map((s) => s.tokenHash)).toEqual([hashToken(fresh)]);

    const reloaded = fakeFile([
      { tokenHash: hashToken(old), createdAt: 0, expiresAt: clock.now() },
      ...file.saved(),
    ]);
    const restarted = createSessions(clock, reloaded, silentLogger, 10_000);
    await restarted.load();
    expect(restarted.isValid(fresh)).toBe(true);
    expect(reloaded.saves).toEqual([file.saved()]);
  });

  it("keeps a session working in memory when it cannot be saved", async () => {
    const sessions = createSessions(manualClock(), fakeFile([], true), silentLogger);
    const token = await sessions.create();
    expect(sessions.isValid(token)).toBe(true);
  });
});
