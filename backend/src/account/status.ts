// Reads what `claude auth status` printed (JSON, no network) into the page's AccountStatus.
import type { AccountKind, AccountStatus, StoredCredential } from "@catalyst/shared";
import { z } from "zod";
import { NO_CLI } from "./scripts.js";

// Loose: every release adds fields; these are the ones we show.
const cliStatusSchema = z.looseObject({
  loggedIn: z.boolean(),
  authMethod: z.string().default("none"),
  apiKeySource: z.string().nullish(),
  subscriptionType: z.string().nullish(),
  loginExpiresAt: z.union([z.string(), z.number()]).nullish(),
});

export interface StatusInput {
  target: string;
  hostLabel: string;
  claudeBin: string;
  cliVersion: string | null;
  stored: StoredCredential | null;
  /** `auth status`'s exit code and output (stdout and stderr together). */
  code: number | null;
  output: string;
  now: number;
}

export function parseAuthStatus(s: StatusInput): AccountStatus {
  const base = {
    target: s.target,
    cliVersion: s.cliVersion,
    stored: s.stored,
    checkedAt: new Date(s.now).toISOString(),
  };
  const unknown = (error: string): AccountStatus => ({
    ...base,
    loggedIn: false,
    kind: "none",
    method: "unknown",
    apiKeySource: null,
    subscription: null,
    expiresAt: null,
    error,
  });
  if (s.code === 127 && s.output.includes(NO_CLI)) {
    return unknown(`${s.claudeBin} not found on ${s.hostLabel}: install it or set CLAUDE_BIN`);
  }
  // The JSON object is the output's last `{ ... }` block (a profile may have printed before).
  const start = s.output.indexOf("{");
  let json: unknown;
  try {
    json = start >= 0 ? JSON.parse(s.output.slice(start, s.output.lastIndexOf("}") + 1)) : null;
  } catch {
    json = null;
  }
  const parsed = cliStatusSchema.safeParse(json);
  if (!parsed.success) {
    const said = s.output.trim().split("\n").at(-1)?.slice(0, 300) ?? "";
    return unknown(
      `${s.claudeBin} auth status on ${s.hostLabel} did not answer as expected (exit ${s.code})${said ? `: ${said}` : ""}`,
    );
  }
  const st = parsed.data;
  const expires = st.loginExpiresAt;
  return {
    ...base,
    loggedIn: st.loggedIn,
    kind: st.loggedIn ? kindOf(st.authMethod) : "none",
    method: st.authMethod,
    apiKeySource: st.apiKeySource ?? null,
    subscription: st.subscriptionType ?? null,
    expiresAt:
      expires === null || expires === undefined
        ? null
        : typeof expires === "number"
          ? new Date(expires).toISOString()
          : expires,
    error: null,
  };
}

function kindOf(method: string): AccountKind {
  if (method === "api_key") return "api_key";
  if (method === "oauth_token") return "oauth_token";
  if (method === "none") return "none";
  // claude.ai, a console login, SSO...: a login the CLI keeps and refreshes itself.
  return "subscription";
}
