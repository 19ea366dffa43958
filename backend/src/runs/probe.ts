// Checks the target for /api/health: reachable, CLI on the login PATH, and its version.
import { ExecError, type Executor } from "../exec/executor.js";
import { NO_CLI_MARKER, PATH_MARKER } from "./markers.js";
import type { CliProbe } from "./runner.js";
import { binExpr, pathSetupLines } from "./wrapper-script.js";
import { shellQuote } from "../exec/shell-quote.js";

export interface PathCache {
  get(): string | null;
  set(path: string): void;
  forget(): void;
}

export async function probeCli(
  executor: Executor,
  claudeBin: string,
  path: PathCache,
): Promise<CliProbe> {
  const bin = binExpr(claudeBin);
  const script = [
    ...pathSetupLines(path.get()),
    `command -v ${bin} >/dev/null 2>&1 || { printf '%s\\n' ${shellQuote(NO_CLI_MARKER)}; exit 127; }`,
    `${bin} --version </dev/null 2>&1`,
  ].join("\n");
  const base = { target: executor.target };
  try {
    const r = await executor.run(script, { timeoutMs: 20_000 });
    const learned = r.stderr.split("\n").find((l) => l.startsWith(PATH_MARKER));
    if (learned) path.set(learned.slice(PATH_MARKER.length));
    if (r.stdout.includes(NO_CLI_MARKER)) {
      path.forget();
      return {
        ...base,
        cliFound: false,
        cliVersion: null,
        error: `${claudeBin} not found on ${executor.hostLabel}: install it or set CLAUDE_BIN`,
      };
    }
    const version = r.stdout.trim().split("\n")[0]?.trim() || null;
    if (r.code !== 0) {
      return {
        ...base,
        cliFound: true,
        cliVersion: null,
        error:
          `${claudeBin} --version failed on ${executor.hostLabel} (exit ${r.code}): ${version ?? ""}`.trim(),
      };
    }
    return { ...base, cliFound: true, cliVersion: version, error: null };
  } catch (err) {
    const message = err instanceof ExecError ? err.message : String(err);
    return { ...base, cliFound: false, cliVersion: null, error: message };
  }
}
