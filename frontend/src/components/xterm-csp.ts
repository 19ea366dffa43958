// xterm.js styles its DOM renderer (colours, cursor, cell size) with <style> elements, which the
// page's Content-Security-Policy (style-src 'self') blocks: the text came out in the page's own
// colour, dark on dark. A constructed stylesheet is CSSOM, which that rule does not govern, so it
// carries the same rules, kept in step as xterm rewrites them (on resize, on theme changes).

/** Mirrors the <style> elements under `root` into an adopted stylesheet; returns the undo. */
export function mirrorInlineStyles(root: HTMLElement): () => void {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  const sync = () =>
    sheet.replaceSync(
      [...root.querySelectorAll("style")].map((s) => s.textContent ?? "").join("\n"),
    );
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet);
  };
}
