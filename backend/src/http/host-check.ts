// Which Host names this server answers to: DNS rebinding points an attacker's name at 127.0.0.1,
// and the browser then treats this server as the attacker's origin. Names must be known.
import { isIP } from "node:net";

/** Wildcard listen addresses name no host. */
const WILDCARDS = new Set(["0.0.0.0", "::", "[::]"]);

/**
 * Accepts IP literals (a rebinding attack always uses a name), `localhost` and `*.localhost`, the
 * configured HOST and ALLOWED_HOSTS; anything else, or a Host that does not parse, is refused.
 */
export function makeHostCheck(
  configured: readonly string[],
): (host: string | undefined) => boolean {
  const known = new Set(
    configured.map((n) => n.trim().toLowerCase()).filter((n) => n !== "" && !WILDCARDS.has(n)),
  );
  return (host) => {
    if (host === undefined || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return false;
    let name: string;
    try {
      name = new URL(`http://${host}`).hostname.toLowerCase();
    } catch {
      return false;
    }
    const bare = name.replace(/^\[|\]$/g, "");
    if (isIP(bare) !== 0) return true;
    const noDot = name.replace(/\.$/, "");
    return noDot === "localhost" || noDot.endsWith(".localhost") || known.has(noDot);
  };
}
