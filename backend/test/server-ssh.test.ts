// The server driving the fake CLI on a real sshd (127.0.0.1): the same product path as a dev VM.
import { ideaMetaSchema } from "@catalyst/shared";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runnerFromConfig } from "../src/runs/from-config.js";
import type { Runner } from "../src/runs/runner.js";
import { requireService } from "./require-service.js";
import { api, bearer, startTestServer, testConfig } from "./server-start.js";
import { connect, type TestClient } from "./server-ws-client.js";
import { sshdAvailable, startSshd, type SshdHandle } from "./sshd.js";

const FAKE_CLAUDE = fileURLToPath(new URL("../../scripts/fake-claude", import.meta.url));
const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");
const echoSchema = z.looseObject({ cwd: z.string(), sessionId: z.string(), resumed: z.boolean() });

describe.skipIf(!hasSshd)("server over SSH with the fake CLI", () => {
  let sshd: SshdHandle;
  let root: string;
  let runner: Runner;
  let srv: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    sshd = await startSshd();
    root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-ssh-e2e-")));
    const env = {
      SSH_HOST: sshd.host,
      SSH_PORT: String(sshd.port),
      SSH_USER: sshd.user,
      SSH_KEY_PATH: sshd.keyPath,
      SSH_KNOWN_HOSTS: sshd.knownHostsPath,
      CLAUDE_BIN: FAKE_CLAUDE,
      REMOTE_ROOT: join(root, "remote"),
      DATA_DIR: join(root, "data"),
      CLAUDE_ENV: `HOME=${join(root, "home")}`,
    };
    runner = runnerFromConfig(testConfig(env));
    srv = await startTestServer(runner, env);
  });
  afterAll(async () => {
    await srv?.close();
    await runner?.close();
    await sshd?.stop();
    await rm(root, { recursive: true, force: true });
  });

  async function runAndWait(c: TestClient, path: string, message: string) {
    const before = c.messages.length;
    expect((await api(srv.url, path, "POST", { message })).status).toBe(202);
    return c.waitFor(
      (m) =>
        c.messages.indexOf(m) >= before && m.type === "event" && m.event.type === "run_finished",
    );
  }

  function lastEcho(c: TestClient) {
    const texts = c.messages.flatMap((m) =>
      m.type === "event" && m.event.type === "text" ? [m.event.text] : [],
    );
    return echoSchema.parse(JSON.parse(texts.at(-1) ?? "null"));
  }

  it("chats then builds: the session is saved, resumed over SSH, in the idea's project folder", async () => {
    // Without a session health says only ok (it would name the SSH user, host and port).
    expect(await (await fetch(`${srv.url}/api/health`)).json()).toEqual({ ok: true });
    expect(await (await api(srv.url, "/api/health")).json()).toMatchObject({
      ok: true,
      cliFound: true,
      target: expect.stringContaining(`${sshd.host}:${sshd.port}`),
    });
    const idea = ideaMetaSchema.parse(
      await (await api(srv.url, "/api/ideas", "POST", { title: "Over SSH" })).json(),
    );
    const c = await connect(srv.url, { headers: bearer });
    c.send({ type: "subscribe", ideaId: idea.id });
    await c.waitFor((m) => m.type === "subscribed");

    const chat = await runAndWait(c, `/api/ideas/${idea.id}/chat`, "@fake echo-prompt");
    expect(chat).toMatchObject({ event: { outcome: "completed" } });
    const first = lastEcho(c);
    expect(first.cwd).toBe(join(root, "remote", "ideas", idea.id, "project"));

    const build = await runAndWait(c, `/api/ideas/${idea.id}/build`, "@fake echo-prompt");
    expect(build).toMatchObject({ event: { outcome: "completed" } });
    expect(lastEcho(c)).toMatchObject({ resumed: true, sessionId: first.sessionId });
    const getMeta = async () =>
      ideaMetaSchema.parse(await (await api(srv.url, `/api/ideas/${idea.id}`)).json());
    // The status settles just after run_finished goes out, when the run is cleared from the meta.
    await expect.poll(async () => (await getMeta()).status).toBe("built");
    expect(await getMeta()).toMatchObject({ sessionId: first.sessionId, runs: 2 });
    c.ws.close();
  });
});
