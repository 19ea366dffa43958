// Replay under load: viewers that subscribe, leave and come back while a fast run streams must each
// end up with every seq exactly once, in order.
import { ideaMetaSchema, serverMessageSchema, type ServerMessage } from "@catalyst/shared";
import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { runnerFromConfig } from "../src/runs/from-config.js";
import type { Runner } from "../src/runs/runner.js";
import { api, bearer, startTestServer, testConfig } from "./server-start.js";

const FAKE_CLAUDE = fileURLToPath(new URL("../../scripts/fake-claude", import.meta.url));
const EVENTS = 5000;

let root: string;
let runner: Runner;
let srv: Awaited<ReturnType<typeof startTestServer>>;

beforeEach(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "catalyst-stress-")));
  const env = {
    CLAUDE_BIN: FAKE_CLAUDE,
    REMOTE_ROOT: join(root, "remote"),
    DATA_DIR: join(root, "data"),
    CLAUDE_ENV: `HOME=${join(root, "home")}`,
  };
  // What is tested is the relay, not finding the CLI: a plain sh login shell answers at once,
  // where the machine's bash profile may wait on other tools (a pyenv rehash lock).
  const shell = process.env.SHELL;
  process.env.SHELL = "/bin/sh";
  try {
    runner = runnerFromConfig(testConfig(env));
  } finally {
    if (shell === undefined) delete process.env.SHELL;
    else process.env.SHELL = shell;
  }
  srv = await startTestServer(runner, env);
});
afterEach(async () => {
  await srv.close();
  await runner.close();
  await rm(root, { recursive: true, force: true });
});

/** A ws client that keeps the seqs of one idea and can wait for the n-th frame matching a test. */
async function viewer(ideaId: string) {
  const ws = new WebSocket(`${srv.url.replace("http", "ws")}/api/ws`, { headers: bearer });
  const seqs: number[] = [];
  let waiter: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void } | null =
    null;
  ws.on("message", (data) => {
    const m = serverMessageSchema.parse(JSON.parse(data.toString()));
    if (m.type === "event" && m.ideaId === ideaId) seqs.push(m.seq);
    if (waiter?.match(m)) {
      const w = waiter;
      waiter = null;
      w.resolve(m);
    }
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const next = (match: (m: ServerMessage) => boolean) =>
    new Promise<ServerMessage>((resolve) => (waiter = { match, resolve }));
  return {
    ws,
    seqs,
    last: () => seqs.at(-1) ?? 0,
    send: (frame: unknown) => ws.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    next,
  };
}
type Viewer = Awaited<ReturnType<typeof viewer>>;

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Subscribes from the last seq seen, stays a random while (mid-replay or live), unsubscribes.
 * A bad frame after the unsubscribe is answered at once, in order: once its error arrives, no frame
 * of the old subscription is still on its way, so the next `after` is exact.
 */
async function churn(v: Viewer, ideaId: string, running: () => boolean, rounds: { n: number }) {
  while (running()) {
    v.send({ type: "subscribe", ideaId, after: v.last() });
    await pause(Math.random() * 60);
    const barrier = v.next((m) => m.type === "error" && m.ideaId === undefined);
    v.send({ type: "unsubscribe", ideaId });
    v.send("barrier");
    await barrier;
    rounds.n++;
  }
}

describe("replay under a fast run", () => {
  it("gives every viewer seq 1..N exactly once and in order, however often it resubscribes", async () => {
    const idea = ideaMetaSchema.parse(
      await (await api(srv.url, "/api/ideas", "POST", { title: "Stress" })).json(),
    );
    const witness = await viewer(idea.id);
    const subscribed = witness.next((m) => m.type === "subscribed");
    witness.send({ type: "subscribe", ideaId: idea.id });
    await subscribed;
    const finished = witness.next((m) => m.type === "event" && m.event.type === "run_finished");
    const churners = await Promise.all(range(10).map(() => viewer(idea.id)));

    const res = await api(srv.url, `/api/ideas/${idea.id}/chat`, "POST", {
      message: `@fake many count=${EVENTS}`,
    });
    expect(res.status).toBe(202);
    let running = true;
    const rounds = { n: 0 };
    const churning = churners.map((v) => churn(v, idea.id, () => running, rounds));
    // Viewers that leave in the middle of their replay must not disturb the others.
    const quitters = await Promise.all(range(8).map(() => viewer(idea.id)));
    for (const q of quitters) {
      q.send({ type: "subscribe", ideaId: idea.id });
      q.ws.terminate();
    }
    const last = await finished;
    running = false;
    await Promise.all(churning);
    const n = last.type === "event" ? last.seq : 0;
    expect(n).toBeGreaterThan(EVENTS);

    for (const v of churners) {
      const done = v.next((m) => m.type === "subscribed");
      v.send({ type: "subscribe", ideaId: idea.id, after: v.last() });
      expect(await done).toMatchObject({ lastSeq: n });
    }
    expect(witness.seqs).toEqual(range(n));
    for (const v of churners) expect(v.seqs).toEqual(range(n));
    // Each viewer came and went many times during the run.
    expect(rounds.n).toBeGreaterThan(churners.length * 3);
    for (const v of [witness, ...churners]) v.ws.close();
  }, 120_000);
});
