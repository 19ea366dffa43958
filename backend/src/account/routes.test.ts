import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import type { Logger } from "../deps.js";
import { toAppError } from "../http/app-error.js";
import type { AppEnv } from "../http/env.js";
import { FakeExecutor, type FakePty } from "../runs/fakes.test-helpers.js";
import { accountRoutes } from "./routes.js";
import { PTY_READY } from "./scripts.js";
import { createAccountService } from "./service.js";

const URL = "https://claude.ai/oauth/authorize?code=true&state=abc";
const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const executor = new FakeExecutor();
  const logged: string[] = [];
  const record =
    (level: string): Logger["info"] =>
    (msg, fields) =>
      logged.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
  const logger: Logger = { info: record("info"), warn: record("warn"), error: record("error") };
  const account = createAccountService({
    executor,
    claudeBin: "claude",
    remoteRoot: "~/catalyst",
    claudeEnv: {},
    clock: new ManualClock(),
    logger,
    newId: () => "login-1",
  });
  const app = new Hono<AppEnv>().route("/api/account", accountRoutes(account));
  app.onError((err, c) => {
    const e = toAppError(err);
    return c.json(e.toJSON(), e.status);
  });
  const post = (path: string, body?: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return { executor, logged, post };
}

describe("/api/account/login", () => {
  it("refuses a code the terminal would echo altered (a space, a tab, a control character) before typing it, so no answer or log line can carry it", async () => {
    const { executor, logged, post } = setup();
    const started = post("/api/account/login");
    await tick();
    const pty = executor.ptys.at(-1) as FakePty;
    pty.output.write(`${PTY_READY}\r\n${URL}\r\nPaste code here if prompted > `);
    expect(await (await started).json()).toEqual({ loginId: "login-1", url: URL });

    for (const code of ["secret\tcode", "secret code", "secret\u0003code"]) {
      const typed = pty.written.length;
      const answer = post("/api/account/login/login-1", { code });
      await tick();
      // What a terminal shows for what was typed: a tab as spaces, a control character as ^C.
      if (pty.written.length > typed) {
        pty.output.write(
          `${code.replace("\t", "   ").replace("\u0003", "^C")}\r\nInvalid code.\r\nPaste code here if prompted > `,
        );
      }
      const res = await answer;
      expect(res.status).toBe(400);
      expect(await res.text()).not.toMatch(/secret/);
      expect(pty.written.length).toBe(typed);
    }
    expect(logged.join("\n")).not.toMatch(/secret/);
  });
});
