// The CLI's secret environment (CLAUDE_ENV, the stored account key): it reaches the target on the
// process's stdin, ahead of the CLI's own input, or sits in an owner-only file there. Never in a
// command line: every local user can read /proc/<pid>/cmdline, not /proc/<pid>/environ.
import { RUN_MARKER_NAME } from "./markers.js";

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME=<base64 of the value>` lines: base64 keeps newlines, quotes and `$` of a value inert. */
export function envLines(env: Readonly<Record<string, string>>): string {
  return Object.entries(env)
    .map(([k, v]) => {
      if (!NAME.test(k)) throw new Error(`not an environment variable name: ${k}`);
      // Overriding the marker would hide the run's processes from every sweep.
      if (k === RUN_MARKER_NAME) throw new Error(`${k} is set by Catalyst itself`);
      return `${k}=${Buffer.from(v, "utf8").toString("base64")}\n`;
    })
    .join("");
}

/**
 * What a process started by a script with `readEnvHeaderLines` gets first on its stdin: the lines,
 * then an empty line. Everything after it belongs to the CLI. Every writer of a run's stdin starts
 * with this.
 */
export function envHeader(env: Readonly<Record<string, string>>): Buffer {
  return Buffer.from(`${envLines(env)}\n`, "utf8");
}

/**
 * Shell lines that take the header off stdin into `$catalyst_h`. `read` on a pipe takes one byte
 * at a time, so the CLI finds its own input untouched right after the empty line.
 */
export function readEnvHeaderLines(): string[] {
  // The two lines join into one assignment with a newline inside the quotes.
  return [
    `catalyst_h=; while IFS= read -r catalyst_l && [ -n "$catalyst_l" ]; do catalyst_h="$catalyst_h$catalyst_l`,
    `"; done`,
  ];
}

/**
 * Shell lines that define `catalyst_export`: it exports each `NAME=<base64>` line of its argument
 * (a shell variable's value, never a command's argv). `base64 -d` reads the value on its stdin;
 * the trailing `x` keeps a value's own final newlines.
 */
export function exportFunctionLines(): string[] {
  return [
    `catalyst_export() {`,
    `  catalyst_o=$IFS; IFS='`,
    `'; set -f`,
    `  for catalyst_l in $1; do`,
    `    catalyst_n=\${catalyst_l%%=*}`,
    `    case $catalyst_n in ''|[0-9]*|*[!A-Za-z0-9_]*|${RUN_MARKER_NAME}) continue;; esac`,
    `    catalyst_v=$(printf '%s' "\${catalyst_l#*=}" | base64 -d 2>/dev/null; printf x)`,
    `    export "$catalyst_n=\${catalyst_v%x}"`,
    `  done`,
    `  IFS=$catalyst_o; set +f; catalyst_v=`,
    `}`,
  ];
}

/**
 * Exports the header's variables, then the stored account file's (`fileExpr`, a shell word), so
 * a key stored from the page wins over CLAUDE_ENV. The file's path is expanded first: CLAUDE_ENV
 * may set HOME, and the key was stored under the account's own.
 */
export function exportEnvLines(fileExpr: string): string[] {
  return [
    ...exportFunctionLines(),
    `catalyst_f=${fileExpr}`,
    `catalyst_export "$catalyst_h"; catalyst_h=`,
    `if [ -r "$catalyst_f" ]; then catalyst_export "$(cat "$catalyst_f")"; fi`,
  ];
}
