// Checks the target for /api/health: reachable, CLI on the login PATH, and its version.
import { ExecError, type Executor } from "../exec/executor.js";
import { NO_CLI_MARKER } from "./markers.js";
import type { CliProbe } from "./runner.js";
import { binExpr, loginPathLines } from "./wrapper-script.js";
import { shellQuote } from "../exec/shell-quote.js";

export async function probeCli(executor: Executor, claudeBin: string): Promise<CliProbe> {
  const bin = binExpr(claudeBin);
  const script = [
    ...loginPathLines(),
    `command -v ${bin} >/dev/null 2>&1 || { printf '%s\\n' ${shellQuote(NO_CLI_MARKER)}; exit 127; }`,
    `${bin} --version </dev/null 2>&1`,
  ].join("\n");
  const base = { target: executor.target };
  try {
    const r = await executor.run(script, { timeoutMs: 20_000 });
    if (r.stdout.includes(NO_CLI_MARKER)) {
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
