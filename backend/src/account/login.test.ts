import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import { AppError } from "../http/app-error.js";
import { FakeExecutor, type FakePty } from "../runs/fakes.test-helpers.js";
import { createLoginFlow } from "./login.js";
import { PTY_READY } from "./scripts.js";

const URL = "https://claude.ai/oauth/authorize?code=true&state=abc";
const tick = () => new Promise((r) => setImmediate(r));

function setup() {
  const executor = new FakeExecutor();
  const clock = new ManualClock();
  let n = 0;
  const flow = createLoginFlow({
    executor,
    place: { claudeBin: "claude", remoteRoot: "~/catalyst" },
    claudeEnv: { ANTHROPIC_BASE_URL: "http://127.0.0.1:9", SECRET_THING: "s3cret" },
    clock,
    newId: () => `login-${++n}`,
  });
  /** Starts a login; the fake terminal prints the ready marker, the URL and the prompt. */
  const started = async () => {
    const pending = flow.start();
    await tick();
    const pty = executor.ptys.at(-1) as FakePty;
    pty.output.write(`${PTY_READY}\r\n`);
    pty.output.write(
      `visit:\r\n\x1b]8;;${URL}\x07${URL}\x1b]8;;\x07\r\nPaste code here if prompted > `,
    );
    return { pty, login: await pending };
  };
  return { executor, clock, flow, started };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err: unknown = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("the login flow", () => {
  it("types the secret environment only once the terminal stopped echoing, and answers the URL", async () => {
    const { started } = setup();
    const { pty, login } = await started();
    expect(login).toEqual({ loginId: "login-1", url: URL });
    expect(pty.script).not.toContain("s3cret");
    expect(pty.written[0]).toContain(`SECRET_THING=${Buffer.from("s3cret").toString("base64")}\n`);
  });

  it("lets the same login take another code when the CLI asks again, without repeating the code", async () => {
    const { started, flow } = setup();
    const { pty, login } = await started();
    const first = flow.finish(login.loginId, "bad-code");
    await tick();
    expect(pty.written.at(-1)).toBe("bad-code\r");
    pty.output.write("bad-code\r\nInvalid code: try again.\r\nPaste code here if prompted > ");
    const err = await failure(first);
    expect(err.status).toBe(400);
    expect(err.message).toContain("Invalid code: try again.");
    expect(err.message).not.toContain("bad-code");
    expect(flow.active()).toBe(true);

    const second = flow.finish(login.loginId, "good-code");
    await tick();
    pty.output.write("\r\nLogin successful.\r\n");
    pty.end({ code: 0, signal: null, lost: false });
    expect(await second).toEqual({ ok: true, message: "Login successful." });
    expect(flow.active()).toBe(false);
  });

  it("stops a login nobody finished after five minutes, and a CLI that never prints a URL after 30 s", async () => {
    const { started, flow, clock, executor } = setup();
    const { pty, login } = await started();
    clock.advance(5 * 60_000 - 1);
    expect(pty.stopped).toBe(false);
    clock.advance(1);
    await tick();
    expect(pty.stopped).toBe(true);
    expect((await failure(flow.finish(login.loginId, "c"))).status).toBe(404);

    const silent = flow.start();
    await tick();
    clock.advance(30_000);
    const err = await failure(silent);
    expect(err.status).toBe(503);
    expect(executor.ptys.at(-1)?.stopped).toBe(true);
  });

  it("answers the whole URL when the terminal's output arrives in pieces (inside the OSC 8 link and the visible text)", async () => {
    const { executor, flow } = setup();
    const pending = flow.start();
    await tick();
    const pty = executor.ptys.at(-1) as FakePty;
    pty.output.write(`${PTY_READY}\r\n`);
    const bytes = `visit:\r\n\x1b]8;;${URL}\x07\x1b[94m${URL}\x1b[39m\x1b]8;;\x07\r\nPaste code here if prompted > `;
    // Split inside the link's target, then inside the visible URL: neither half is the URL.
    const cuts = [bytes.indexOf("state=a"), bytes.lastIndexOf("state=a")];
    pty.output.write(bytes.slice(0, cuts[0]));
    await tick();
    pty.output.write(bytes.slice(cuts[0], cuts[1]));
    await tick();
    pty.output.write(bytes.slice(cuts[1]));
    expect(await pending).toEqual({ loginId: "login-1", url: URL });
  });

  it("leaves no terminal behind when two logins start at once, or when the server closes during a start", async () => {
    const { executor, flow } = setup();
    const first = flow.start().catch((e: unknown) => e);
    const second = flow.start();
    await tick();
    const [a, b] = executor.ptys;
    if (!a || !b) throw new Error("expected two terminals");
    // The first one was replaced: it is stopped, whatever it prints now.
    expect(a.stopped).toBe(true);
    expect(await first).toBeInstanceOf(AppError);
    b.output.write(`${PTY_READY}\r\n${URL}\r\nPaste code here if prompted > `);
    expect((await second).url).toBe(URL);
    expect(b.stopped).toBe(false);

    const third = flow.start().catch((e: unknown) => e);
    await flow.close();
    await tick();
    expect(executor.ptys.every((p) => p.stopped)).toBe(true);
    expect(await third).toBeInstanceOf(AppError);
    expect(flow.active()).toBe(false);
  });
});
