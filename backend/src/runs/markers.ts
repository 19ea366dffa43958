// Lines the wrapper script writes to stderr before the CLI starts, and the filter that strips them.

/** The environment variable that marks every process of a run. */
export const RUN_MARKER_NAME = "CATALYST_RUN_ID";
export const PID_MARKER = "__CATALYST_PID__=";
/** The last line of the wrapper: what follows on stderr is the CLI's own. */
export const EXEC_MARKER = "__CATALYST_EXEC__";
export const NO_CLI_MARKER = "__CATALYST_NO_CLI__";
/** The PATH the wrapper computed from the login shell, so later runs can skip that slow step. */
export const PATH_MARKER = "__CATALYST_LOGIN_PATH__=";

export interface PreludeFilter {
  /** Returns the bytes that belong to the CLI's stderr (markers removed). */
  push(chunk: Buffer): Buffer;
  /** Whatever is left when stderr ends. */
  end(): Buffer;
}

/**
 * Until the exec marker is seen, stderr is read line by line and marker lines are taken out;
 * after it, chunks pass through untouched (the CLI's own stderr), so the CLI cannot fake one.
 * Every pid marker before it is reported: the durable launch (buildLaunchScript) reports its own
 * group first (a cancel then stops the launch), then the CLI's group, which is the one to signal
 * from then on. The old wrapper (buildWrapperScript) reports one.
 */
export interface PreludeHooks {
  /** The wrapper reported the process group id of the run (the last report counts). */
  processGroup(pgid: number): void;
  /** The wrapper found no CLI to run. */
  noCli(): void;
  /** The wrapper reported the PATH its login shell computed. */
  loginPath?(value: string): void;
  /** The exec marker: the CLI started (what follows is not the wrapper's). */
  exec?(): void;
}

export function createPreludeFilter(on: PreludeHooks): PreludeFilter {
  let done = false;
  let pending = Buffer.alloc(0);
  return {
    push(chunk) {
      if (done) return chunk;
      pending = Buffer.concat([pending, chunk]);
      const keep: Buffer[] = [];
      let nl: number;
      while (!done && (nl = pending.indexOf(10)) !== -1) {
        const line = pending.subarray(0, nl).toString("utf8");
        const rest = pending.subarray(nl + 1);
        if (line === EXEC_MARKER) {
          done = true;
          on.exec?.();
        } else if (line.startsWith(PID_MARKER)) {
          const pgid = Number(line.slice(PID_MARKER.length));
          if (Number.isInteger(pgid) && pgid > 1) on.processGroup(pgid);
        } else if (line.startsWith(PATH_MARKER)) {
          on.loginPath?.(line.slice(PATH_MARKER.length));
        } else if (line === NO_CLI_MARKER) {
          on.noCli();
        } else {
          keep.push(pending.subarray(0, nl + 1));
        }
        pending = rest;
      }
      if (done) {
        keep.push(pending);
        pending = Buffer.alloc(0);
      }
      return Buffer.concat(keep);
    },
    end() {
      const rest = pending;
      pending = Buffer.alloc(0);
      return rest;
    },
  };
}
