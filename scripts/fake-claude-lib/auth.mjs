// fake-claude's account commands, shaped like Claude Code 2.1.330's: `auth status` (JSON, exit 1
// when logged out), `auth login` and `setup-token` (need a terminal: print a claude.ai URL and
// `Paste code here if prompted >`, read a code), `auth logout`. The login lives in
// $HOME/.fake-claude/auth.json. The code that works: env FAKE_CLAUDE_LOGIN_CODE, else
// "fake-good-code"; any other fails like a rejected OAuth exchange (exit 1).
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const authFile = () => join(process.env.HOME ?? homedir(), ".fake-claude", "auth.json");

function readLogin() {
  try {
    return JSON.parse(readFileSync(authFile(), "utf8"));
  } catch {
    return null;
  }
}

function status() {
  const login = readLogin();
  const base = {
    apiProvider: "firstParty",
    analyticsDisabled: false,
    loginExpiresAt: null,
  };
  let out;
  if (process.env.ANTHROPIC_API_KEY) {
    out = { loggedIn: true, authMethod: "api_key", ...base, apiKeySource: "ANTHROPIC_API_KEY" };
  } else if (process.env.CLAUDE_CODE_OAUTH_TOKEN) {
    out = { loggedIn: true, authMethod: "oauth_token", ...base };
  } else if (login) {
    out = {
      loggedIn: true,
      authMethod: "claude.ai",
      ...base,
      subscriptionType: login.subscriptionType,
      loginExpiresAt: login.expiresAt,
    };
  } else {
    out = { loggedIn: false, authMethod: "none", ...base };
  }
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return out.loggedIn ? 0 : 1;
}

/** Prints the URL and the prompt, reads one code from the terminal. */
async function askForCode() {
  if (!process.stdin.isTTY) {
    process.stderr.write("Error: Raw mode is not supported on the current process.stdin.\n");
    return null;
  }
  const url = `https://claude.ai/oauth/authorize?code=true&client_id=fake&state=${randomBytes(16).toString("hex")}`;
  process.stdout.write("Opening browser to sign in…\r\nIf the browser didn't open, visit:\r\n");
  process.stdout.write(`\x1b]8;;${url}\x07\x1b[94m${url}\x1b[39m\x1b]8;;\x07\r\n`);
  process.stdout.write("Paste code here if prompted > ");
  const rl = createInterface({ input: process.stdin });
  const code = await new Promise((resolve) => {
    rl.once("line", resolve);
    rl.once("close", () => resolve(null));
  });
  rl.close();
  return typeof code === "string" ? code.trim() : null;
}

async function login(kind) {
  const code = await askForCode();
  if (code === null) return 1;
  const good = process.env.FAKE_CLAUDE_LOGIN_CODE ?? "fake-good-code";
  if (code !== good) {
    process.stdout.write("\r\nOAuth error: Invalid authorization code. Please try again.\r\n");
    return 1;
  }
  if (kind === "setup-token") {
    const token = `sk-ant-oat01-${randomBytes(24).toString("hex")}`;
    process.stdout.write(
      `\r\n✓ Long-lived authentication token created successfully!\r\n\r\nYour OAuth token (valid for 1 year):\r\n\r\n${token}\r\n`,
    );
    return 0;
  }
  mkdirSync(join(process.env.HOME ?? homedir(), ".fake-claude"), { recursive: true, mode: 0o700 });
  const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
  writeFileSync(authFile(), JSON.stringify({ subscriptionType: "max", expiresAt }), {
    mode: 0o600,
  });
  process.stdout.write("\r\nLogin successful.\r\n");
  return 0;
}

function logout() {
  rmSync(authFile(), { force: true });
  process.stdout.write("Successfully logged out from your Anthropic account.\n");
  return 0;
}

/** Handles `auth ...` and `setup-token`; returns null for any other command line. */
export async function accountCommand(argv) {
  const [first, second] = argv;
  if (first === "setup-token") return login("setup-token");
  if (first !== "auth") return null;
  if (second === "status") return status();
  if (second === "login") return login("login");
  if (second === "logout") return logout();
  process.stderr.write(`error: unknown command '${second ?? ""}'\n`);
  return 1;
}
