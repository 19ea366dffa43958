// The shell script that starts the CLI on the target: login PATH, working folder, binary check,
// pid marker, run-id marker and the secret environment (from stdin, see secret-env.ts), then
// exec. Every value in it is quoted, and it holds no secret: it is visible in /proc/<pid>/cmdline.
import { ideaIdSchema } from "@catalyst/shared";
import { shellQuote } from "../exec/shell-quote.js";
import { EXEC_MARKER, NO_CLI_MARKER, PATH_MARKER, PID_MARKER, RUN_MARKER_NAME } from "./markers.js";
import { exportEnvLines, readEnvHeaderLines } from "./secret-env.js";

export { RUN_MARKER_NAME };
/** What a run id may look like: it is written into shell scripts and matched by sweeps. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface WrapperInput {
  runId: string;
  ideaId: string;
  remoteRoot: string;
  claudeBin: string;
  args: readonly string[];
  /** PATH reported by an earlier run on this target; when set, the login shell is not asked again. */
  knownPath?: string | null;
  /** How long the login shell may take (LOGIN_SHELL_TIMEOUT_S by default). */
  loginTimeoutS?: number;
}

/** `~` and `~/x` become `"$HOME"/'x'`; anything else is quoted as it is. */
export function expandHome(path: string): string {
  if (path === "~") return '"$HOME"';
  if (path.startsWith("~/")) return `"$HOME"/${shellQuote(path.slice(2))}`;
  return shellQuote(path);
}

/** The idea's project folder on the target, as a shell expression. */
export function projectDirExpr(remoteRoot: string, ideaId: string): string {
  return `${expandHome(remoteRoot.replace(/\/+$/, "") || "/")}/${shellQuote(`ideas/${ideaIdSchema.parse(ideaId)}/project`)}`;
}

/** The owner-only folder of the account's key on the target (`account` under REMOTE_ROOT). */
export function accountDirExpr(remoteRoot: string): string {
  return `${expandHome(remoteRoot.replace(/\/+$/, "") || "/")}/${shellQuote("account")}`;
}

/** The owner-only file of the account's key, NAME=<base64> lines (secret-env.ts's envLines). */
export function accountEnvFileExpr(remoteRoot: string): string {
  return `${accountDirExpr(remoteRoot)}/${shellQuote("env")}`;
}

/** A login shell still busy after this long is stopped (SIGTERM) by `timeout`. */
export const LOGIN_SHELL_TIMEOUT_S = 30;

/**
 * Shell lines that set PATH as a login shell would (nvm, ~/.local/bin...), which a non-login SSH
 * shell lacks, plus the usual install locations of the CLI. Profile chatter goes nowhere: only
 * the marked line counts. Nothing of the run's stop reaches this step (own session, SIGINT
 * ignored, no run marker): profiles are not signal-safe (pyenv's rehash lock, taken on every
 * shell start, stays behind when interrupted, and then every later shell on the host waits up to
 * a minute for it). A profile that hangs is ended by `timeout` instead.
 */
export function loginPathLines(timeoutS = LOGIN_SHELL_TIMEOUT_S): string[] {
  if (!Number.isInteger(timeoutS) || timeoutS < 1) throw new Error(`not a timeout: ${timeoutS}`);
  return [
    `s=; command -v setsid >/dev/null 2>&1 && s=setsid`,
    `t=; command -v timeout >/dev/null 2>&1 && t="timeout ${timeoutS}"`,
    `p=$(trap '' INT; $s $t "\${SHELL:-/bin/sh}" -lc 'printf "\\n__CATALYST_PATH__=%s\\n" "$PATH"' </dev/null 2>/dev/null | sed -n 's/^__CATALYST_PATH__=//p' | tail -n 1)`,
    `[ -n "$p" ] && PATH="$p:$PATH"`,
    `n=$(ls -d "$HOME"/.nvm/versions/node/*/bin 2>/dev/null | sort -V 2>/dev/null | tail -n 1)`,
    `PATH="$PATH:$HOME/.local/bin:$HOME/.claude/local:$HOME/.npm-global/bin\${n:+:$n}:/usr/local/bin"; export PATH`,
  ];
}

/** The PATH already learned from this target, or ask the login shell and report what it said. */
export function pathSetupLines(knownPath: string | null, loginTimeoutS?: number): string[] {
  if (knownPath) return [`PATH=${shellQuote(knownPath)}; export PATH`];
  return [
    ...loginPathLines(loginTimeoutS),
    `printf '%s%s\\n' ${shellQuote(PATH_MARKER)} "$PATH" >&2`,
  ];
}

/** The command name or path as a shell word (`~/x` expands to the home folder). */
export function binExpr(claudeBin: string): string {
  return claudeBin.startsWith("~/") ? expandHome(claudeBin) : shellQuote(claudeBin);
}

export function buildWrapperScript(w: WrapperInput): string {
  if (!RUN_ID_PATTERN.test(w.runId))
    throw new Error(`not a valid run id: ${JSON.stringify(w.runId)}`);
  const bin = binExpr(w.claudeBin);
  const pid = `printf '%s%s\\n' ${shellQuote(PID_MARKER)} "$$" >&2`;
  return [
    // sh leads its own process group (setsid locally, sshd's session), so $$ is the pgid: report
    // it first, so a cancel at any point can signal the group instead of sweeping by marker.
    // Should a login shell have forked instead of exec'ing, setsid (not being a group leader, it
    // does not fork) makes this same pid the leader of a new group just before the CLI starts,
    // and it is reported then.
    `g=$(ps -o pgid= -p $$ 2>/dev/null | tr -d ' ')`,
    `l=; if [ -n "$g" ] && [ "$g" != "$$" ] && command -v setsid >/dev/null 2>&1; then l=setsid; else ${pid}; fi`,
    // A cancel before the CLI starts: finish the step at hand (see loginPathLines), start nothing.
    `x=; trap 'x=1' INT`,
    // The secret environment comes first on stdin (envHeader), whatever happens next.
    ...readEnvHeaderLines(),
    ...pathSetupLines(w.knownPath ?? null, w.loginTimeoutS),
    // Marks every process of this run, including tool children that leave the process group.
    `CATALYST_RUN_ID=${shellQuote(w.runId)}; export CATALYST_RUN_ID`,
    `d=${projectDirExpr(w.remoteRoot, w.ideaId)}`,
    // The user's code and secrets live there: every folder this creates is theirs alone (0700).
    `(umask 077 && mkdir -p "$d") && cd "$d" || exit 1`,
    `command -v ${bin} >/dev/null 2>&1 || { printf '%s\\n' ${shellQuote(NO_CLI_MARKER)} >&2; exit 127; }`,
    ...exportEnvLines(accountEnvFileExpr(w.remoteRoot)),
    `if [ -n "$l" ]; then ${pid}; fi`,
    `[ -z "$x" ] || exit 130`,
    `printf '%s\\n' ${shellQuote(EXEC_MARKER)} >&2`,
    `exec $l ${bin} ${w.args.map(shellQuote).join(" ")}`,
    "",
  ].join("\n");
}
