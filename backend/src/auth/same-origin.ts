// Whether a browser request comes from this server's own page: its Origin names the Host it was sent to.

/**
 * `Origin` as the browser sends it (`null` from sandboxed or file pages never matches), compared
 * with the `Host` header; URL parsing lowercases both and drops a default port on each side.
 */
export function originMatchesHost(origin: string, host: string | undefined): boolean {
  // A Host header is a name or address and a port; anything else is not compared at all.
  if (host === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return false;
  try {
    const from = new URL(origin);
    if (from.protocol !== "http:" && from.protocol !== "https:") return false;
    return from.host === new URL(`${from.protocol}//${host}`).host;
  } catch {
    return false;
  }
}

/** Methods that change something: the ones a cross-site page must not send with our cookie. */
export function isUnsafeMethod(method: string): boolean {
  return !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase());
}
