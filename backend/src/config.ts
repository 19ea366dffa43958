// The backend's configuration: read once from the environment (and .env), validated with zod.
import { homedir } from "node:os";
import { z } from "zod";

const boolFlag = z
  .enum(["0", "1", "true", "false", ""])
  .default("0")
  .transform((v) => v === "1" || v === "true");

const positiveInt = z.coerce.number().int().positive();
const usd = z.coerce.number().positive("must be a positive number of dollars").finite();
const port = z.coerce.number().int().min(0).max(65535);

/** `NAME=value` pairs separated by newlines or spaces; values may not contain spaces or newlines. */
const envPairs = z
  .string()
  .default("")
  .transform((raw, ctx) => {
    const out: Record<string, string> = {};
    for (const pair of raw.split(/[\s]+/).filter(Boolean)) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(pair);
      if (!m || m[1] === undefined || m[2] === undefined) {
        ctx.addIssue({ code: "custom", message: `"${pair}" is not NAME=value` });
        return z.NEVER;
      }
      out[m[1]] = m[2];
    }
    return out;
  });

export const configSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: port.default(3000),
  APP_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  MAX_CONCURRENT_RUNS: positiveInt.default(8),
  /** Host names besides HOST, loopback and IP addresses that the server answers to (DNS rebinding). */
  ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((raw) => raw.split(/[\s,]+/).filter(Boolean)),
  /** A reverse proxy in front: trust its X-Forwarded-For and X-Forwarded-Proto. */
  TRUST_PROXY: boolFlag,
  /** On SIGTERM/SIGINT cancel the runs going on, as before #11, instead of leaving them going for the next start. */
  SHUTDOWN_CANCELS_RUNS: boolFlag,

  CLAUDE_BIN: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9_./~+-]+$/, "must be a command name or a path without spaces or quotes")
    .default("claude"),
  CLAUDE_TIMEOUT_MS: positiveInt.default(600_000),
  CANCEL_GRACE_MS: positiveInt.default(5_000),
  /** A tool request nobody answers is denied after this long (the run goes on). 30 min. */
  APPROVAL_TIMEOUT_MS: positiveInt.default(1_800_000),
  /** A run on the target that no server follows (no heartbeat) is ended after this long. 30 min. */
  ORPHAN_TIMEOUT_MS: positiveInt.default(1_800_000),
  /** The approvals policy of an idea that has none of its own: `ask` the person, or `auto`. */
  BUILD_APPROVALS: z.enum(["ask", "auto"]).default("ask"),
  BUILD_PERMISSION_MODE: z
    .enum(["acceptEdits", "bypassPermissions", "default", "plan", "dontAsk"])
    .default("acceptEdits"),
  CLAUDE_ENV: envPairs,
  /** Extra CLI flags the product does not manage, e.g. `--model sonnet`. Validated word by word. */
  CLAUDE_EXTRA_ARGS: z.string().default(""),
  REMOTE_ROOT: z.string().min(1).default("~/catalyst"),

  SSH_HOST: z.string().optional(),
  SSH_PORT: port.default(22),
  SSH_USER: z.string().optional(),
  SSH_KEY_PATH: z.string().optional(),
  SSH_KEY_PASSPHRASE: z.string().optional(),
  SSH_AUTH_SOCK: z.string().optional(),
  SSH_KNOWN_HOSTS: z.string().default(`${homedir()}/.ssh/known_hosts`),
  SSH_ACCEPT_NEW_HOST_KEY: boolFlag,

  /** USD one run may cost (passed to the CLI as --max-budget-usd); unset: no per-run limit. */
  RUN_BUDGET_USD: usd.optional(),
  /** USD all runs may cost in a calendar month (UTC); unset: no monthly limit. */
  MONTHLY_BUDGET_USD: usd.optional(),
});
export type Config = z.infer<typeof configSchema>;

export type ConfigResult = { success: true; data: Config } | { success: false; error: string };

/** Empty strings count as unset, so a blank line in .env means "use the default". */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const cleaned: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") cleaned[k] = v;
  const parsed = configSchema.safeParse(cleaned);
  if (parsed.success) return { success: true, data: parsed.data };
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
  return { success: false, error: `Invalid configuration:\n${lines.join("\n")}` };
}
