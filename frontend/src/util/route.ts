// The page's only navigation state: which idea is open, kept in the URL hash so reload and back work.
import { createSignal, onCleanup } from "solid-js";

const parse = (hash: string): string | null => {
  const m = /^#\/idea\/([A-Za-z0-9_-]+)$/.exec(hash);
  return m?.[1] ?? null;
};

export function createRoute() {
  const [ideaId, setIdeaId] = createSignal<string | null>(parse(location.hash));
  const onHash = () => setIdeaId(parse(location.hash));
  window.addEventListener("hashchange", onHash);
  onCleanup(() => window.removeEventListener("hashchange", onHash));
  return {
    ideaId,
    open(id: string | null) {
      const hash = id ? `#/idea/${id}` : "#/";
      if (location.hash !== hash) location.hash = hash;
      setIdeaId(id);
    },
  };
}

/** Reads `?key=` once (the login link the server prints) and removes it from the URL and history. */
export function takeKeyFromUrl(): string | null {
  const url = new URL(location.href);
  const key = url.searchParams.get("key");
  if (key === null) return null;
  url.searchParams.delete("key");
  history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  return key;
}
