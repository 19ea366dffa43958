// The real CLI's `auth status` (JSON, no network) as the account service reads it, before and
// after a key is stored on the target the way the page stores it.
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nanoid } from "nanoid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccountService, type AccountService } from "../../src/account/service.js";
import { systemClock } from "../../src/clock.js";
import { silentLogger } from "../../src/deps.js";
import { createLocalExecutor } from "../../src/exec/local.js";
import { cliEnvironment } from "../../src/runs/from-config.js";
import { requireService } from "../require-service.js";
import { claudeBin, claudeVersion } from "./harness.js";

const version = claudeVersion();
const hasClaude = requireService(
  "claude CLI",
  version !== null,
  "run `npm run --silent install-claude` (installs the pinned CLI into .cache/)",
);

describe.skipIf(!hasClaude)(`the real Claude Code CLI (${version}): auth status`, () => {
  let root: string;
  let account: AccountService;
  beforeAll(async () => {
    root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-real-account-")));
    const env = cliEnvironment(process.env);
    // No key of this machine's may leak into what the test sees.
    delete env.ANTHROPIC_API_KEY;
    delete env.CLAUDE_CODE_OAUTH_TOKEN;
    account = createAccountService({
      executor: createLocalExecutor({ env }),
      claudeBin,
      remoteRoot: join(root, "remote"),
      // A fresh home: no login of this machine's user either.
      claudeEnv: { HOME: join(root, "home") },
      clock: systemClock,
      logger: silentLogger,
      newId: () => nanoid(),
    });
  });
  afterAll(async () => {
    await account?.close();
    await rm(root, { recursive: true, force: true });
  });

  it("is logged out on a fresh home, then uses the stored key or token, then neither", async () => {
    expect(await account.status({ fresh: true })).toMatchObject({
      loggedIn: false,
      kind: "none",
      method: "none",
      cliVersion: expect.stringContaining(version ?? "?"),
      error: null,
    });
    expect(await account.store({ apiKey: `sk-ant-api03-${nanoid(40)}` })).toMatchObject({
      loggedIn: true,
      kind: "api_key",
      method: "api_key",
      apiKeySource: "ANTHROPIC_API_KEY",
      stored: "api_key",
    });
    expect(await account.store({ oauthToken: `sk-ant-oat01-${nanoid(40)}` })).toMatchObject({
      loggedIn: true,
      kind: "oauth_token",
      method: "oauth_token",
      stored: "oauth_token",
    });
    expect(await account.removeStored()).toMatchObject({ loggedIn: false, stored: null });
  }, 60_000);
});
