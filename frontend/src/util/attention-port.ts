// The browser's ways of getting a person's attention, behind a small interface: the tab's title,
// whether the page is in the background, and desktop notifications (with their permission).
export type NotifyPermission = "default" | "granted" | "denied" | "unsupported";

export type AttentionPort = {
  /** The page is in the background (another tab, minimised). */
  hidden(): boolean;
  /** Called when the page goes to the background or comes back; returns the unsubscribe. */
  onVisibilityChange(listener: () => void): () => void;
  setTitle(title: string): void;
  permission(): NotifyPermission;
  /** Asks the person (the browser shows its prompt); only from a click, and only once. */
  requestPermission(): Promise<NotifyPermission>;
  /** Shows a notification when permitted; returns a way to take it back, or null. */
  notify(n: { title: string; body: string; tag: string }): { close(): void } | null;
};

export function browserAttentionPort(): AttentionPort {
  const supported = typeof Notification !== "undefined";
  return {
    hidden: () => document.hidden,
    onVisibilityChange(listener) {
      document.addEventListener("visibilitychange", listener);
      return () => document.removeEventListener("visibilitychange", listener);
    },
    setTitle: (title) => void (document.title = title),
    permission: () => (supported ? Notification.permission : "unsupported"),
    async requestPermission() {
      if (!supported) return "unsupported";
      try {
        return await Notification.requestPermission();
      } catch {
        return Notification.permission;
      }
    },
    notify({ title, body, tag }) {
      if (!supported || Notification.permission !== "granted") return null;
      try {
        const n = new Notification(title, { body, tag });
        // A click on it brings the person to the page that waits for them.
        n.onclick = () => {
          window.focus();
          n.close();
        };
        return n;
      } catch {
        // Some browsers (Android Chrome) only notify from a service worker: the title still says it.
        return null;
      }
    },
  };
}

/** A port for tests: a visible/hidden switch, the title and notifications kept in arrays. */
export function fakeAttentionPort(permission: NotifyPermission = "default") {
  let hidden = false;
  let perm = permission;
  const listeners = new Set<() => void>();
  const titles: string[] = [];
  const notes: { title: string; body: string; tag: string; closed: boolean }[] = [];
  let asked = 0;
  const port: AttentionPort = {
    hidden: () => hidden,
    onVisibilityChange(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    setTitle: (t) => void titles.push(t),
    permission: () => perm,
    async requestPermission() {
      asked++;
      perm = "granted";
      return perm;
    },
    notify(n) {
      if (perm !== "granted") return null;
      const note = { ...n, closed: false };
      notes.push(note);
      return { close: () => void (note.closed = true) };
    },
  };
  return {
    port,
    titles,
    notes,
    title: () => titles.at(-1),
    asked: () => asked,
    setHidden(h: boolean) {
      hidden = h;
      for (const l of listeners) l();
    },
  };
}
