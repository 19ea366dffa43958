// A server stopped with a run going, then started again over the same DATA_DIR: a WebSocket viewer
// of the idea sees the reattached run live (its notice, its events, its end), as a started run's.
import { ideaMetaSchema } from "@catalyst/shared";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../src/deps.js";
import { shutDown } from "../src/http/shut-down.js";
import { FakeRunner } from "./server-fake-runner.js";
import { api, bearer, startTestServer } from "./server-start.js";
import { connect, isEvent, type TestClient } from "./server-ws-client.js";

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

describe("a run followed again after a restart, seen over the WebSocket", () => {
  it("a subscriber sees the reattached run's notice, its new events and its end, each once and in order", async () => {
    const first = new FakeRunner();
    const before = await startTestServer(first);
    const created = await api(before.url, "/api/ideas", "POST", { title: "Kite" });
    const { id } = ideaMetaSchema.parse(await created.json());
    expect((await api(before.url, `/api/ideas/${id}/build`, "POST", {})).status).toBe(202);
    const run = (await first.nextRun()).started();
    run.emitFrom(
      { type: "text", parentToolUseId: null, messageId: null, text: "before" },
      { stream: "out", line: 0, index: 0 },
    );
    const viewer = await connect(before.url, { headers: bearer });
    viewer.send({ type: "subscribe", ideaId: id });
    await viewer.waitFor(isEvent(id, "text"));
    viewer.ws.close();
    await shutDown(before, first, { cancelRuns: false }, silentLogger);

    const second = new FakeRunner();
    const after = await startTestServer(second, { DATA_DIR: before.dataDir });
    cleanup.push(() => after.cleanup());
    expect(second.attached.map((r) => r.resume.out)).toEqual([{ offset: 0, skip: 1 }]);
    const again = await second.nextRun();
    const page: TestClient = await connect(after.url, { headers: bearer });
    page.send({ type: "subscribe", ideaId: id });
    await page.waitFor((m) => m.type === "subscribed" && m.ideaId === id);
    const notice = await page.waitFor(isEvent(id, "notice"));
    if (notice.type !== "event") throw new Error("not an event");
    again
      .emitFrom(
        { type: "text", parentToolUseId: null, messageId: null, text: "after" },
        { stream: "out", line: 80, index: 0 },
      )
      .result(0.1)
      .finish("completed");
    await page.waitFor(
      (m) => isEvent(id, "status_changed")(m) && m.type === "event" && m.seq > notice.seq,
    );
    const seen = page.messages.flatMap((m) => (m.type === "event" && m.ideaId === id ? [m] : []));
    const live = seen.slice(seen.findIndex((m) => m.event.type === "notice"));
    expect(live.map((m) => m.event)).toMatchObject([
      { type: "notice", kind: "run_reattached" },
      { type: "text", text: "after" },
      { type: "result" },
      { type: "run_finished", outcome: "completed" },
      { type: "status_changed", previous: "building", status: "built" },
    ]);
    // Every entry once, in seq order (replay and live feed do not overlap).
    const seqs = page.seqs(id);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seen.filter((m) => m.event.type === "text").map((m) => m.src)).toEqual([
      { stream: "out", line: 0, index: 0 },
      { stream: "out", line: 80, index: 0 },
    ]);
    page.ws.close();
  });
});
