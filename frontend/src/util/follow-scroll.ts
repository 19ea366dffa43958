// Keeps a scroller pinned to its bottom while content arrives, until the reader scrolls up.
export type FollowScroll = {
  readonly following: boolean;
  /** Pins to the bottom again (e.g. the reader sent a message). */
  follow(): void;
  dispose(): void;
};

/** Sent (bubbling) from a fold's header once its content is shown. */
export const FOLD_OPEN = "fold-open";

/** Within this many pixels of the bottom, a reader scrolling down is following again. */
const SLACK = 80;
const UP_KEYS = new Set(["ArrowUp", "PageUp", "Home"]);

/**
 * Only the reader stops the following, by scrolling up with the wheel, a finger, the keyboard or
 * the scrollbar: the page itself moves scrollTop up too (older items leaving the drawn window, the
 * browser's scroll anchoring, content shrinking), and that must not count. Size changes of the
 * content (a streamed line, an off-screen item laid out for real, a fold opening) and of the
 * scroller (the composer's status line) re-pin while following: one scroll after a render is not
 * enough with `content-visibility: auto`, whose estimated heights become real as they come into view.
 */
export function makeFollowScroll(
  scroller: HTMLElement,
  content: HTMLElement,
  /** Told when following starts or stops (e.g. to offer a way back to the latest output). */
  onChange: (following: boolean) => void = () => {},
): FollowScroll {
  let following = true;
  const setFollowing = (f: boolean) => {
    if (f === following) return;
    following = f;
    onChange(f);
  };
  /** The reader did something that may scroll up since we last pinned. */
  let reaching = false;
  let lastTop = scroller.scrollTop;
  const distance = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
  const pin = () => {
    reaching = false;
    scroller.scrollTop = scroller.scrollHeight;
    lastTop = scroller.scrollTop;
  };
  const onScroll = () => {
    const top = scroller.scrollTop;
    if (reaching && top < lastTop - 1 && distance() > 2) setFollowing(false);
    else if (distance() < SLACK) setFollowing(true);
    lastTop = top;
  };
  const reach = () => (reaching = true);
  const onWheel = (e: WheelEvent) => {
    if (e.deltaY < 0) reach();
  };
  const onKey = (e: KeyboardEvent) => {
    if (UP_KEYS.has(e.key) || (e.key === " " && e.shiftKey)) reach();
  };
  // A press on the scroller itself (not on an item) is its scrollbar.
  const onPointer = (e: PointerEvent) => {
    if (e.target === scroller) reach();
  };
  const resized = () => {
    if (following) pin();
  };
  // A fold opened by the reader near the bottom: pinning would scroll its header away as its
  // content grows. When it no longer fits, the reader reads from where they are instead.
  const onFoldOpen = () => {
    if (following && distance() > SLACK) setFollowing(false);
  };
  const listeners: [string, EventListener][] = [
    ["scroll", onScroll],
    ["wheel", onWheel as EventListener],
    ["touchstart", reach],
    ["keydown", onKey as EventListener],
    ["pointerdown", onPointer as EventListener],
    [FOLD_OPEN, onFoldOpen],
  ];
  for (const [type, fn] of listeners) scroller.addEventListener(type, fn, { passive: true });
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(resized) : null;
  observer?.observe(content);
  observer?.observe(scroller);
  pin();
  return {
    get following() {
      return following;
    },
    follow() {
      setFollowing(true);
      pin();
    },
    dispose() {
      for (const [type, fn] of listeners) scroller.removeEventListener(type, fn);
      observer?.disconnect();
    },
  };
}
