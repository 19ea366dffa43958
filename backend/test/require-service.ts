// Tests that need a real service (sshd, chromium, the real CLI) skip locally when it is missing,
// but CI sets CATALYST_REQUIRE_SERVICES=1 and then a missing service fails the run instead.
export function requireService(name: string, available: boolean, hint: string): boolean {
  if (available) return true;
  if (process.env.CATALYST_REQUIRE_SERVICES === "1") {
    throw new Error(`${name} is required here (CATALYST_REQUIRE_SERVICES=1) but missing: ${hint}`);
  }
  console.warn(`[skip] ${name} is missing, skipping its tests: ${hint}`);
  return false;
}
