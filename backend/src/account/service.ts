// The Claude account on the target: its status (cached briefly), the key stored for runs, the
// subscription login and logout. Every secret goes to the target on stdin and is never kept here.
import {
  storedCredentialSchema,
  type AccountStatus,
  type LoginStarted,
  type StoreCredentialBody,
  type StoredCredential,
} from "@catalyst/shared";
import type { Clock } from "../clock.js";
import type { Logger } from "../deps.js";
import { ExecError, type Executor } from "../exec/executor.js";
import { AppError } from "../http/app-error.js";
import { envHeader, envLines } from "../runs/secret-env.js";
import { createLoginFlow, type LoginFlow, type LoginResult } from "./login.js";
import { runWithStdin } from "./on-target.js";
import {
  cliCommandScript,
  removeKeyScript,
  storedKindScript,
  storeKeyScript,
  type CliPlace,
} from "./scripts.js";
import { parseAuthStatus } from "./status.js";

export interface AccountDeps extends CliPlace {
  executor: Executor;
  claudeEnv: Readonly<Record<string, string>>;
  clock: Clock;
  logger: Logger;
  newId(): string;
  /** How long a status answer is reused (10 s). */
  statusTtlMs?: number;
  /** Passed to the login flow (tests drive it with a hand-moved clock). */
  loginAbandonMs?: number;
}

export interface AccountService {
  status(opts?: { fresh?: boolean }): Promise<AccountStatus>;
  store(body: StoreCredentialBody): Promise<AccountStatus>;
  removeStored(): Promise<AccountStatus>;
  logout(): Promise<AccountStatus>;
  startLogin(): Promise<LoginStarted>;
  finishLogin(loginId: string, code: string): Promise<LoginResult>;
  close(): Promise<void>;
}

const VARIABLE: Record<StoredCredential, string> = {
  api_key: "ANTHROPIC_API_KEY",
  oauth_token: "CLAUDE_CODE_OAUTH_TOKEN",
};

export function createAccountService(deps: AccountDeps): AccountService {
  const { executor, clock } = deps;
  const ttl = deps.statusTtlMs ?? 10_000;
  let cached: { at: number; status: Promise<AccountStatus> } | null = null;
  const login: LoginFlow = createLoginFlow({
    executor,
    place: deps,
    claudeEnv: deps.claudeEnv,
    clock,
    newId: deps.newId,
    abandonMs: deps.loginAbandonMs,
  });

  /** A target that cannot be reached is a 503 with the executor's sentence. */
  const onTarget = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof ExecError) throw new AppError("unavailable", err.message);
      deps.logger.error(`account: ${what} failed`, { error: String(err) });
      throw err;
    }
  };

  const cli = (words: string[]) =>
    runWithStdin(executor, cliCommandScript(deps, words), envHeader(deps.claudeEnv));

  const read = async (): Promise<AccountStatus> => {
    try {
      const [status, version, stored] = await Promise.all([
        cli(["auth", "status", "--json"]),
        cli(["--version"]),
        executor.run(storedKindScript(deps.remoteRoot)),
      ]);
      return parseAuthStatus({
        target: executor.target,
        hostLabel: executor.hostLabel,
        claudeBin: deps.claudeBin,
        cliVersion: version.code === 0 ? version.stdout.trim().split("\n").at(-1) || null : null,
        stored: storedOf(stored.stdout),
        code: status.code,
        output: status.stdout + status.stderr,
        now: clock.now(),
      });
    } catch (err) {
      return {
        target: executor.target,
        cliVersion: null,
        loggedIn: false,
        kind: "none",
        method: "unknown",
        apiKeySource: null,
        subscription: null,
        expiresAt: null,
        stored: null,
        error: err instanceof ExecError ? err.message : "the status could not be read",
        checkedAt: new Date(clock.now()).toISOString(),
      };
    }
  };

  const status = (opts: { fresh?: boolean } = {}) => {
    const now = clock.now();
    if (opts.fresh || cached === null || now - cached.at > ttl) {
      cached = { at: now, status: read() };
    }
    return cached.status;
  };

  const fresh = () => status({ fresh: true });

  return {
    status,

    async store(body) {
      const [kind, value] =
        "apiKey" in body
          ? (["api_key", body.apiKey] as const)
          : (["oauth_token", body.oauthToken] as const);
      const r = await onTarget("storing the key", () =>
        runWithStdin(
          executor,
          storeKeyScript(deps.remoteRoot),
          Buffer.from(envLines({ [VARIABLE[kind]]: value }), "utf8"),
        ),
      );
      if (r.code !== 0) {
        throw new AppError(
          "unavailable",
          `Could not store the key on ${executor.hostLabel} (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`,
        );
      }
      deps.logger.info("account: a credential was stored on the target", { kind });
      return fresh();
    },

    async removeStored() {
      await onTarget("removing the key", () => executor.run(removeKeyScript(deps.remoteRoot)));
      deps.logger.info("account: the stored credential was removed");
      return fresh();
    },

    async logout() {
      await login.close();
      await onTarget("logging out", async () => {
        await executor.run(removeKeyScript(deps.remoteRoot));
        await cli(["auth", "logout"]);
      });
      deps.logger.info("account: logged out on the target");
      return fresh();
    },

    async startLogin() {
      return onTarget("starting the login", () => login.start());
    },

    async finishLogin(loginId, code) {
      const result = await onTarget("finishing the login", () => login.finish(loginId, code));
      cached = null;
      deps.logger.info("account: logged in on the target");
      return result;
    },

    close: () => login.close(),
  };
}

/** The stored file's first variable name, as storedKindScript prints it. */
function storedOf(stdout: string): StoredCredential | null {
  const name = stdout.trim().split("\n")[0];
  const kind = Object.entries(VARIABLE).find(([, v]) => v === name)?.[0];
  const parsed = storedCredentialSchema.safeParse(kind);
  return parsed.success ? parsed.data : null;
}
