// Runs a short script on the target with bytes on its stdin (the only way a secret may travel),
// and collects its output, with a deadline so a stuck target cannot hang a request.
import { ExecError, type Executor, type SideResult } from "../exec/executor.js";
import { collect } from "../exec/side-result.js";

export async function runWithStdin(
  executor: Executor,
  script: string,
  stdin: Buffer,
  timeoutMs = 20_000,
): Promise<SideResult> {
  const child = await executor.start(script);
  child.stdin.end(stdin);
  // Every byte of output is in once the child closed, not merely exited.
  const ended = Promise.all([child.exit, child.closed]).then(([exit]) => {
    if (exit.lost)
      throw new ExecError("unreachable", `Lost the connection to ${executor.hostLabel}`);
    return exit.code;
  });
  try {
    return await collect(child.stdout, child.stderr, timeoutMs, () => child.detach(), ended);
  } finally {
    child.detach();
  }
}
