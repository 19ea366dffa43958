// The page's only navigation state: which idea (or the Usage page) is open, kept in the URL hash so
// reload and back work.
import { createSignal, onCleanup } from "solid-js";

const parse = (hash: string): string | null => {
  const m = /^#\/idea\/([A-Za-z0-9_-]+)$/.exec(hash);
  return m?.[1] ?? null;
};

const USAGE = "#/usage";

export function createRoute() {
  const [ideaId, setIdeaId] = createSignal<string | null>(parse(location.hash));
  const [usage, setUsage] = createSignal(location.hash === USAGE);
  const onHash = () => {
    setIdeaId(parse(location.hash));
    setUsage(location.hash === USAGE);
  };
  window.addEventListener("hashchange", onHash);
  onCleanup(() => window.removeEventListener("hashchange", onHash));
  return {
    ideaId,
    /** The Usage page is open (instead of an idea). */
    usage,
    open(id: string | null) {
      const hash = id ? `#/idea/${id}` : "#/";
      if (location.hash !== hash) location.hash = hash;
      setIdeaId(id);
      setUsage(false);
    },
  };
}

/**
 * Reads a one-time login link's token (`#login=<token>`, the link the server prints) once and
 * removes it from the URL and history. An old `?key=` link is removed too and not used: the key
 * must not sit in a URL.
 */
export function takeLoginTokenFromUrl(): { token: string | null; keyInUrl: boolean } {
  const url = new URL(location.href);
  const token = /^#login=([A-Za-z0-9_-]+)$/.exec(url.hash)?.[1] ?? null;
  const keyInUrl = url.searchParams.has("key");
  if (token === null && !keyInUrl) return { token: null, keyInUrl: false };
  url.searchParams.delete("key");
  if (token !== null) url.hash = "";
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  return { token, keyInUrl };
}
