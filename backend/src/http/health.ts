// The runner's probe for /api/health, cached briefly so a polling page does not SSH on every request.
import type { CliProbe, Runner } from "../runs/runner.js";
import type { Clock } from "../clock.js";

export function cachedProbe(runner: Runner, clock: Clock, ttlMs = 10_000): () => Promise<CliProbe> {
  let cached: { at: number; probe: Promise<CliProbe> } | null = null;
  return () => {
    const now = clock.now();
    if (cached === null || now - cached.at > ttlMs) {
      const probe = runner.probe().catch((err: unknown): CliProbe => ({
        target: runner.target,
        cliFound: false,
        cliVersion: null,
        error: `the probe failed: ${err instanceof Error ? err.message : String(err)}`,
      }));
      cached = { at: now, probe };
    }
    return cached.probe;
  };
}
