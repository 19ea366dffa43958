// The subscription login: `claude auth login` on a terminal on the target. It prints a claude.ai
// URL and waits for the code the person gets there. One login at a time; an abandoned one ends.
import type { LoginStarted } from "@catalyst/shared";
import type { Clock } from "../clock.js";
import type { Executor, ExitInfo, PtyChild } from "../exec/executor.js";
import { AppError } from "../http/app-error.js";
import { envHeader } from "../runs/secret-env.js";
import { terminalText } from "./terminal-text.js";
import { cliPtyScript, PTY_READY, type CliPlace } from "./scripts.js";

export interface LoginDeps {
  executor: Executor;
  place: CliPlace;
  claudeEnv: Readonly<Record<string, string>>;
  clock: Clock;
  newId(): string;
  /** A login nobody finished ends after this long (5 minutes). */
  abandonMs?: number;
  /** How long the CLI may take to print its URL, and to answer a code (30 s each). */
  answerMs?: number;
}

export type LoginResult = { ok: true; message: string };

export interface LoginFlow {
  start(): Promise<LoginStarted>;
  /** 200 when the CLI says it worked; an AppError with the CLI's own words when not. */
  finish(loginId: string, code: string): Promise<LoginResult>;
  /** Whether a login is waiting for its code. */
  active(): boolean;
  /** Ends the login in progress, if any (server shutdown). */
  close(): Promise<void>;
}

// Only a URL the terminal has finished: output comes in pieces, and a piece may end inside it.
const URL_PATTERN = /https:\/\/[^\s]+\/oauth\/authorize\?[^\s]+(?=\s)/;
const PROMPT_PATTERN = /paste code here/i;
const REDACTED = "[code]";
/** What we keep of a terminal's output: enough for the URL and a message. */
const MAX_TEXT = 64 * 1024;

interface Login {
  id: string;
  pty: PtyChild;
  raw: string;
  exit: ExitInfo | null;
  changed: Set<() => void>;
  finishing: boolean;
  cancelAbandon: () => void;
}

export function createLoginFlow(deps: LoginDeps): LoginFlow {
  const abandonMs = deps.abandonMs ?? 5 * 60_000;
  const answerMs = deps.answerMs ?? 30_000;
  let current: Login | null = null;
  /** Moves on at every start and close: a start that finds it moved was replaced or closed. */
  let generation = 0;

  const end = async (login: Login) => {
    login.cancelAbandon();
    if (current === login) current = null;
    // Stops the CLI and anything it started, on the target too.
    await login.pty.stop();
  };

  /** Resolves once `ready()` holds or the CLI exited; false after `ms`. */
  const until = (login: Login, ready: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const check = () => {
        if (!ready() && login.exit === null) return;
        done(ready());
      };
      const cancel = deps.clock.setTimer(ms, () => done(false));
      const done = (v: boolean) => {
        cancel();
        login.changed.delete(check);
        resolve(v);
      };
      login.changed.add(check);
      check();
    });

  return {
    async start() {
      // One at a time: a new login replaces one left behind (a reloaded page, another tab).
      const mine = ++generation;
      const replaced = () =>
        new AppError("busy", "This login was replaced by a newer one (or the server is stopping).");
      if (current) await end(current);
      const pty = await deps.executor.startPty(cliPtyScript(deps.place, ["auth", "login"]), {
        // Wide enough that the CLI never wraps its URL.
        cols: 1000,
        rows: 50,
      });
      // Another start or a close came while this terminal opened: it must not outlive them.
      if (mine !== generation) {
        await pty.stop();
        throw replaced();
      }
      const login: Login = {
        id: deps.newId(),
        pty,
        raw: "",
        exit: null,
        changed: new Set(),
        finishing: false,
        cancelAbandon: () => {},
      };
      current = login;
      let headerSent = false;
      pty.output.on("data", (chunk: Buffer) => {
        if (login.raw.length < MAX_TEXT) login.raw += chunk.toString("utf8");
        if (!headerSent && login.raw.includes(PTY_READY)) {
          // Echo is off now: the CLI's secret environment can be typed.
          headerSent = true;
          pty.write(envHeader(deps.claudeEnv));
        }
        for (const f of [...login.changed]) f();
      });
      void pty.exit.then((exit) => {
        login.exit = exit;
        for (const f of [...login.changed]) f();
      });
      login.cancelAbandon = deps.clock.setTimer(abandonMs, () => void end(login));

      const text = () => terminalText(login.raw);
      const found = await until(login, () => URL_PATTERN.test(text()), answerMs);
      const url = URL_PATTERN.exec(text())?.[0];
      if (!found || url === undefined) {
        await end(login);
        if (mine !== generation) throw replaced();
        throw new AppError(
          "unavailable",
          `claude auth login did not print a sign-in URL on ${deps.executor.hostLabel}${said(text(), null)}`,
        );
      }
      return { loginId: login.id, url };
    },

    async finish(loginId, code) {
      const login = current;
      if (login === null || login.id !== loginId) {
        throw new AppError(
          "not_found",
          "This login is over (finished, replaced or expired): start again.",
        );
      }
      if (login.finishing) throw new AppError("busy", "This login is already checking a code.");
      login.finishing = true;
      try {
        await until(login, () => PROMPT_PATTERN.test(terminalText(login.raw)), answerMs);
        const from = login.raw.length;
        login.pty.write(`${code}\r`);
        // The CLI either exits (0: logged in) or asks again after saying what was wrong.
        const asksAgain = () => PROMPT_PATTERN.test(terminalText(login.raw.slice(from)));
        await until(login, asksAgain, answerMs);
        const after = redact(terminalText(login.raw.slice(from)), code);
        if (login.exit?.code === 0) {
          await end(login);
          return { ok: true, message: lastLines(after) || "Logged in." };
        }
        const message = `The CLI did not accept the code${said(after, code)}`;
        // Still asking: the same login may take another code. Anything else ends it.
        if (login.exit !== null || !asksAgain()) await end(login);
        throw new AppError("bad_request", message);
      } finally {
        login.finishing = false;
      }
    },

    active: () => current !== null,

    async close() {
      generation++;
      if (current) await end(current);
    },
  };
}

/** The CLI's own last words, after ": " (the code, should it echo, replaced). */
function said(text: string, code: string | null): string {
  const lines = lastLines(code === null ? text : redact(text, code));
  return lines ? `: ${lines}` : "";
}

function lastLines(text: string): string {
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      // A line that is only the (redacted) code is the terminal's echo of what was typed.
      .filter((l) => l && l !== REDACTED && !PROMPT_PATTERN.test(l) && !l.includes(PTY_READY))
      .slice(-3)
      .join(" ")
      .slice(0, 500)
  );
}

function redact(text: string, code: string): string {
  return code ? text.replaceAll(code, REDACTED) : text;
}
