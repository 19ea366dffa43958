import { describe, expect, it } from "vitest";
import { createRoot, createSignal } from "solid-js";
import { fakeAttentionPort } from "../util/attention-port.js";
import { askForNotifications, createAttention, makeAttention } from "./attention.js";
import { createTranscriptStore } from "./transcript.js";
import { entries, ev } from "./fixtures.js";

const note = (tag: string) => ({ tag, title: `Claude asks (${tag})`, body: "npm init -y" });

describe("makeAttention", () => {
  it("leaves the title alone while the page is in front", () => {
    const f = fakeAttentionPort("granted");
    const a = makeAttention(f.port);
    a.setBase("● Photo renamer · Catalyst");
    a.setWaiting([note("r1")], true);
    a.runEnded("Build finished", note("end"));
    expect(f.title()).toBe("● Photo renamer · Catalyst");
    expect(f.notes).toEqual([]);
  });

  it("in the background, says how many requests wait and notifies each new one once", () => {
    const f = fakeAttentionPort("granted");
    const a = makeAttention(f.port);
    a.setBase("● Photo renamer · Catalyst");
    f.setHidden(true);
    a.setWaiting([note("r1")], true);
    expect(f.title()).toBe("(1) Waiting for you — ● Photo renamer · Catalyst");
    a.setWaiting([note("r1"), note("r2")], true);
    expect(f.title()).toBe("(2) Waiting for you — ● Photo renamer · Catalyst");
    a.setWaiting([note("r2")], true);
    expect(f.notes.map((n) => n.tag)).toEqual(["r1", "r2"]);
    expect(f.title()).toBe("(1) Waiting for you — ● Photo renamer · Catalyst");
  });

  it("says a finished run in the title and a notification; back in front, both go", () => {
    const f = fakeAttentionPort("granted");
    const a = makeAttention(f.port);
    a.setBase("Photo renamer · Catalyst");
    f.setHidden(true);
    a.runEnded("Build finished", note("run-f9"));
    expect(f.title()).toBe("Build finished — Photo renamer · Catalyst");
    expect(f.notes).toMatchObject([{ tag: "run-f9", closed: false }]);
    f.setHidden(false);
    expect(f.title()).toBe("Photo renamer · Catalyst");
    expect(f.notes).toMatchObject([{ tag: "run-f9", closed: true }]);
    // Hidden again with nothing new: only the base title.
    f.setHidden(true);
    expect(f.title()).toBe("Photo renamer · Catalyst");
  });

  it("does not notify what came with the history, nor without permission", () => {
    const f = fakeAttentionPort("default");
    const a = makeAttention(f.port);
    f.setHidden(true);
    a.setWaiting([note("old")], false);
    a.setWaiting([note("old"), note("new")], true);
    expect(f.title()).toMatch(/^\(2\) Waiting for you/);
    expect(f.notes).toEqual([]);
  });

  it("asks for notifications only while the browser has not been asked", () => {
    const f = fakeAttentionPort("default");
    askForNotifications(f.port);
    askForNotifications(f.port);
    expect(f.asked()).toBe(1);
    const denied = fakeAttentionPort("denied");
    askForNotifications(denied.port);
    expect(denied.asked()).toBe(0);
  });

  it("puts the plain title back when the chat closes", () => {
    const f = fakeAttentionPort();
    const a = makeAttention(f.port);
    a.setBase("X · Catalyst");
    a.dispose();
    expect(f.title()).toBe("Catalyst");
  });
});

describe("createAttention", () => {
  it("follows the open idea's transcript: live requests and a run's end, not the history", () => {
    const f = fakeAttentionPort("granted");
    const t = createTranscriptStore();
    t.apply(
      entries("r0", [
        ev.started("r0", "old", "build"),
        ev.permissionRequest("old", "Bash", { command: "ls" }),
        ev.finished("r0"),
      ]),
    );
    const [ready, setReady] = createSignal(false);
    const dispose = createRoot((d) => {
      createAttention(f.port, {
        transcript: t,
        ideaTitle: () => "Photo renamer",
        running: () => t.activeRun() !== null,
        ready,
        footerLine: () => "Build completed · 4.3 s",
      });
      return d;
    });
    f.setHidden(true);
    setReady(true);
    expect(f.notes).toEqual([]);
    t.apply(
      entries(
        "r1",
        [
          ev.started("r1", "go", "build"),
          ev.permissionRequest("req1", "Bash", { command: "npm test" }),
        ],
        4,
      ),
    );
    expect(f.title()).toBe("(1) Waiting for you — ● Photo renamer · Catalyst");
    expect(f.notes).toMatchObject([
      { title: "Claude asks to use Bash", body: "npm test · in “Photo renamer”" },
    ]);
    t.apply(entries("r1", [ev.permissionAnswered("req1"), ev.finished("r1")], 6));
    expect(f.title()).toBe("Build finished — Photo renamer · Catalyst");
    expect(f.notes.at(-1)).toMatchObject({
      title: "Build finished: Photo renamer",
      body: "Build completed · 4.3 s",
    });
    f.setHidden(false);
    expect(f.title()).toBe("Photo renamer · Catalyst");
    dispose();
    expect(f.title()).toBe("Catalyst");
  });
});
