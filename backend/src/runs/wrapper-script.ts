// The shell script that starts the CLI on the target: login PATH, working folder, binary check,
// pid marker, run-id marker and the secret environment (from stdin, see secret-env.ts), then
// exec. Every value in it is quoted, and it holds no secret: it is visible in /proc/<pid>/cmdline.
import { shellQuote } from "../exec/shell-quote.js";
import { EXEC_MARKER, NO_CLI_MARKER, PATH_MARKER, PID_MARKER, RUN_MARKER_NAME } from "./markers.js";
import { relayLines } from "./run-folder.js";
import { exportEnvLines, readEnvHeaderLines } from "./secret-env.js";
import {
  ORPHAN_TIMEOUT_MS,
  orphanTimeoutSeconds,
  RUN_FILES,
  supervisorScript,
} from "./supervisor-script.js";
import {
  accountEnvFileExpr,
  checkRunId,
  expandHome,
  projectDirExpr,
  runsDirExpr,
} from "./target-paths.js";

export { RUN_MARKER_NAME };
export {
  accountDirExpr,
  accountEnvFileExpr,
  expandHome,
  projectDirExpr,
  RUN_ID_PATTERN,
} from "./target-paths.js";

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
  /** buildLaunchScript: a run whose heartbeat is older than this is ended (ORPHAN_TIMEOUT_MS). */
  orphanTimeoutS?: number;
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

/**
 * Everything before the CLI starts: the process group report, the secret environment from stdin,
 * PATH, the run marker, the project folder, the CLI check. Leaves `$l` (setsid when this shell
 * does not lead its group), `$x` (set by a cancel) and the `pid` report to the caller.
 */
function preludeLines(w: WrapperInput, pid: string): string[] {
  checkRunId(w.runId);
  const bin = binExpr(w.claudeBin);
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
  ];
}

const pidReport = (expr: string) => `printf '%s%s\\n' ${shellQuote(PID_MARKER)} ${expr} >&2`;

/** The CLI runs in the launch channel: its stdin, stdout and stderr are the channel's. */
export function buildWrapperScript(w: WrapperInput): string {
  const pid = pidReport(`"$$"`);
  return [
    ...preludeLines(w, pid),
    `if [ -n "$l" ]; then ${pid}; fi`,
    `[ -z "$x" ] || exit 130`,
    `printf '%s\\n' ${shellQuote(EXEC_MARKER)} >&2`,
    `exec $l ${binExpr(w.claudeBin)} ${w.args.map(shellQuote).join(" ")}`,
    "",
  ].join("\n");
}

/** How long the launch waits for the supervisor to start the CLI (steps of 50 ms). */
const START_WAIT_STEPS = 600;

/**
 * The durable launch (docs/runs-and-ssh.md, "The run folder"): the same prelude, then the run
 * folder is created (complete, by a rename), the supervisor starts in its own session with no tie
 * to the channel, the CLI's process group is reported (PID_MARKER, the last one counts) and
 * EXEC_MARKER; then this shell relays the rest of its stdin into the run's input (run-folder.ts).
 * Its stdout carries nothing. Launch failures exit 127 (no CLI), 130 (cancelled first) or 1 (no
 * folder, no setsid, the supervisor did not start) without EXEC_MARKER.
 */
export function buildLaunchScript(w: WrapperInput): string {
  const timeoutS = w.orphanTimeoutS ?? orphanTimeoutSeconds(ORPHAN_TIMEOUT_MS);
  const f = RUN_FILES;
  const fail = (msg: string) => `{ printf '%s\\n' ${shellQuote(msg)} >&2; exit 1; }`;
  return [
    ...preludeLines(w, pidReport(`"$$"`)),
    `command -v setsid >/dev/null 2>&1 || ${fail("Catalyst needs setsid (util-linux) on the target.")}`,
    `[ -z "$x" ] || exit 130`,
    `R=${runsDirExpr(w.remoteRoot, w.ideaId)}; r="$R"/${shellQuote(w.runId)}`,
    // Made under a temporary name and renamed: whoever sees the folder sees all of it.
    `[ ! -e "$r" ] && (umask 077 && mkdir -p "$R" && t="$R"/${shellQuote(`.new-${w.runId}`)} && rm -rf "$t" && mkdir "$t" && mkfifo "$t/${f.input}" && : >"$t/${f.out}" && : >"$t/${f.err}" && : >"$t/${f.heartbeat}" && mv "$t" "$r") || ${fail("Cannot create the run folder.")}`,
    `[ -z "$x" ] || exit 130`,
    `setsid -f /bin/sh -c ${shellQuote(supervisorScript(timeoutS))} catalyst-supervisor "$r" ${binExpr(w.claudeBin)} ${w.args.map(shellQuote).join(" ")} </dev/null >/dev/null 2>&1 || ${fail("Cannot start the run's supervisor.")}`,
    `i=0; while [ ! -s "$r/${f.pgid}" ] && [ ! -e "$r/${f.exit}" ]; do`,
    `  [ $i -lt ${START_WAIT_STEPS} ] || ${fail("The run's supervisor did not start the CLI.")}`,
    `  i=$((i+1)); sleep 0.05`,
    `done`,
    `g=$(cat "$r/${f.pgid}" 2>/dev/null); [ -n "$g" ] && ${pidReport(`"$g"`)}`,
    `printf '%s\\n' ${shellQuote(EXEC_MARKER)} >&2`,
    // From here on a SIGINT to this group is not the run's: the relay goes on. It is exec'd to
    // carry the run's marker (see markedScript) and none of the secret environment.
    `trap '' INT`,
    `exec env -i PATH="$PATH" ${RUN_MARKER_NAME}="$${RUN_MARKER_NAME}" /bin/sh -c ${shellQuote(["r=$1", ...relayLines(), ""].join("\n"))} catalyst-relay "$r"`,
    "",
  ].join("\n");
}
