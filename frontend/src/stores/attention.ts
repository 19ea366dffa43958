// Brings the person back when the open idea needs them while the page is in the background: the
// tab's title says so ("(1) Waiting for you — …"), and a notification does if they allowed it.
import { createEffect, on, onCleanup, type Accessor } from "solid-js";
import type { AttentionPort } from "../util/attention-port.js";
import type { ApprovalItem, FooterItem, TranscriptStore } from "./transcript.js";
import { QUESTION_TOOL } from "./approval-view.js";

export type Note = { tag: string; title: string; body: string };

export const APP_TITLE = "Catalyst";

export function makeAttention(port: AttentionPort) {
  let base = APP_TITLE;
  let waiting = 0;
  /** How the last run ended, said in the title until the person looks again. */
  let ended: string | null = null;
  /** Requests already seen (live or in the history): each is notified once at most. */
  const seen = new Set<string>();
  const shown: { close(): void }[] = [];

  const render = () => {
    if (!port.hidden()) port.setTitle(base);
    else if (waiting > 0) port.setTitle(`(${waiting}) Waiting for you — ${base}`);
    else port.setTitle(ended ? `${ended} — ${base}` : base);
  };
  const notify = (n: Note) => {
    const handle = port.notify(n);
    if (handle) shown.push(handle);
  };
  const off = port.onVisibilityChange(() => {
    // Back in front: the person sees the page itself, the reminders have done their job.
    if (!port.hidden()) {
      ended = null;
      for (const n of shown.splice(0)) n.close();
    }
    render();
  });

  return {
    /** The title while nothing needs the person ("● Photo renamer · Catalyst"). */
    setBase(title: string) {
      base = title;
      render();
    },
    /**
     * The requests waiting for the person now. One not seen before is notified when `live` (not
     * loaded with the history) and the page is in the background.
     */
    setWaiting(requests: readonly Note[], live: boolean) {
      waiting = requests.length;
      for (const r of requests) {
        if (seen.has(r.tag)) continue;
        seen.add(r.tag);
        if (live && port.hidden()) notify(r);
      }
      render();
    },
    /** A run ended (live): in the background, the title and a notification say how. */
    runEnded(short: string, note: Note) {
      if (!port.hidden()) return;
      ended = short;
      notify(note);
      render();
    },
    dispose() {
      off();
      for (const n of shown.splice(0)) n.close();
      port.setTitle(APP_TITLE);
    },
  };
}
export type Attention = ReturnType<typeof makeAttention>;

/**
 * The first Build asks for notifications, never anything before: it is the first run that may
 * outlast the person's patience. Call it from a click, so the browser shows its prompt.
 */
export function askForNotifications(port: AttentionPort) {
  if (port.permission() === "default") void port.requestPermission();
}

/** What a notification says about a request. */
export function requestNote(item: ApprovalItem, ideaTitle: string): Note {
  const question = item.toolName === QUESTION_TOOL;
  return {
    tag: item.requestId,
    title: question ? "Claude has a question" : `Claude asks to use ${item.toolName}`,
    body: question ? `In “${ideaTitle}”` : `${item.summary || item.toolName} · in “${ideaTitle}”`,
  };
}

/**
 * Wires the open idea's transcript to a `makeAttention`: the base title follows the idea and
 * whether it runs; waiting requests and the end of a run are news once the history is loaded.
 */
export function createAttention(
  port: AttentionPort,
  opts: {
    transcript: TranscriptStore;
    ideaTitle: Accessor<string | undefined>;
    running: Accessor<boolean>;
    /** The history is loaded: from now on what arrives is live. */
    ready: Accessor<boolean>;
    footerLine: (f: FooterItem) => string;
  },
) {
  const a = makeAttention(port);
  const t = opts.transcript;
  createEffect(() => {
    const title = opts.ideaTitle();
    a.setBase(title ? `${opts.running() ? "● " : ""}${title} · ${APP_TITLE}` : APP_TITLE);
  });
  createEffect(() => {
    const title = opts.ideaTitle() ?? "";
    a.setWaiting(
      t.pending().map((i) => requestNote(i, title)),
      opts.ready(),
    );
  });
  const lastFooter = (): FooterItem | undefined => {
    const items = t.items();
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i];
      if (item?.kind === "footer") return item;
    }
    return undefined;
  };
  let seenFooter: string | undefined;
  createEffect(
    on([lastFooter, opts.ready] as const, ([f, ready]) => {
      if (!ready) return void (seenFooter = f?.key);
      if (!f || f.key === seenFooter) return;
      seenFooter = f.key;
      const what = f.mode === "build" ? "Build" : "Chat";
      const short = f.outcome === "completed" ? `${what} finished` : `${what} stopped`;
      a.runEnded(short, {
        tag: `run-${f.key}`,
        title: `${short}: ${opts.ideaTitle() ?? APP_TITLE}`,
        body: opts.footerLine(f),
      });
    }),
  );
  onCleanup(() => a.dispose());
  return a;
}
