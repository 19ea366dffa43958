// startRun over a fake target: the output followed by byte offset with sources, a dropped follow
// channel resumed with every line once, input queued while no channel is up, the heartbeat.
import { describe, expect, it } from "vitest";
import { FOLLOW_BACKOFF_MS } from "./follow.js";
import { HEARTBEAT_MS, heartbeatEvery } from "./heartbeat.js";
import { childOf, finished, setup, stdinLines, tick } from "./run.test-helpers.js";

const text = (id: string, t: string) =>
  `${JSON.stringify({ type: "assistant", message: { id, role: "assistant", content: [{ type: "text", text: t }] } })}\n`;
const RESULT = '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n';
const texts = (events: { type: string }[]) =>
  events.flatMap((e) => (e.type === "text" && "text" in e ? [e.text] : []));

async function launched() {
  const s = setup();
  const child = await childOf(s.executor);
  child.stderr.write("__CATALYST_PID__=70\n");
  await tick();
  return { ...s, child };
}

describe("startRun: a run followed by byte offset", () => {
  it("follows out.ndjson and err.log from byte 0, each event with its source; the launch channel's stdout is not read as output", async () => {
    const { executor, run, events, child, collected } = await launched();
    expect(executor.scripts.filter((s) => s.startsWith("#follow"))).toEqual(["#follow run_1 0 0"]);
    const a = text("m1", "one");
    child.stdout.write(a + text("m2", "tw"));
    child.stdout.write("".slice(0)); // an empty write changes nothing
    child.stderr.write("warn\n");
    await tick();
    child.stdout.write(RESULT);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    const t1 = events.find((e) => e.type === "text");
    expect(t1 && run.sourceOf(t1)).toEqual({ stream: "out", line: 0, index: 0 });
    const t2 = events.filter((e) => e.type === "text")[1];
    expect(t2 && run.sourceOf(t2)).toEqual({ stream: "out", line: a.length, index: 0 });
    const warn = events.find((e) => e.type === "stderr");
    expect(warn && run.sourceOf(warn)).toEqual({ stream: "err", line: 0, index: 0 });
    expect(run.sourceOf(events[0]!)).toBeNull(); // run_started is the server's
    expect(finished(events)).toMatchObject({ outcome: "completed", exitCode: 0 });
    // After the end: the sweep, then the run folders of the idea's earlier runs are removed.
    expect(executor.targetCommands.at(-1)).toBe("#cleanup abcdefghijklmnopqrstu run_1");
  });

  it("a dropped follow channel: link_lost, reconnect with backoff from the exact byte received, link_restored, every line once", async () => {
    const { executor, clock, events, child, collected } = await launched();
    child.stdout.write(text("m1", "one") + text("m2", "tw"));
    await tick();
    executor.dropLink();
    await tick();
    expect(events.at(-1)).toMatchObject({ type: "notice", kind: "link_lost", level: "warning" });
    // The run goes on meanwhile: a line cut in two, more lines, its end.
    const three = text("m3", "three");
    child.stdout.write(three.slice(0, 20));
    child.stdout.write(three.slice(20) + RESULT);
    child.stderr.write("late\n");
    // The first attempt fails (still down), the next one after a longer wait succeeds.
    clock.advance(FOLLOW_BACKOFF_MS[0]!);
    await tick();
    executor.restoreLink();
    child.end({ code: 0, signal: null, lost: false });
    clock.advance(FOLLOW_BACKOFF_MS[1]!);
    await collected;
    const follows = executor.scripts.filter((s) => s.startsWith("#follow"));
    const firstPart = (text("m1", "one") + text("m2", "tw")).length;
    expect(follows).toEqual(["#follow run_1 0 0", `#follow run_1 ${firstPart} 0`]);
    expect(texts(events)).toEqual(["one", "tw", "three"]);
    expect(events.filter((e) => e.type === "result")).toHaveLength(1);
    const notices = events.flatMap((e) => (e.type === "notice" ? [e.kind] : []));
    expect(notices).toEqual(["link_lost", "link_restored"]);
    expect(finished(events).outcome).toBe("completed");
  });

  it("input written while no channel is up is queued, and goes out in order once an input channel is up", async () => {
    const { executor, clock, run, child, collected } = await launched();
    executor.dropLink();
    await tick();
    expect(run.send("while down 1")).toBe(true);
    expect(run.send("while down 2")).toBe(true);
    executor.restoreLink();
    clock.advance(FOLLOW_BACKOFF_MS[0]!);
    for (let i = 0; i < 10; i++) await tick();
    expect(executor.scripts.filter((s) => s.startsWith("#input"))).toEqual(["#input run_1"]);
    const users = stdinLines(child).filter((l) => (l as { type?: string }).type === "user");
    expect(users.map((u) => (u as { message: { content: string } }).message.content)).toEqual([
      expect.any(String),
      "while down 1",
      "while down 2",
    ]);
    child.stdout.write(RESULT + RESULT + RESULT);
    await tick();
    // Every message has its result: the end line closes the run's input.
    expect(child.stdinEnded).toBe(true);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
  });

  it("a message written as the link dies unnoticed (its relay never confirms it) goes again on the next input channel, with a notice", async () => {
    const { executor, clock, run, events, child, collected } = await launched();
    const target = executor.runs.get("run_1")!;
    await tick();
    const before = target.written.length; // the env header and the prompt, confirmed
    target.linkDying = true;
    expect(run.send("into the void")).toBe(true);
    await tick();
    executor.dropLink();
    target.linkDying = false;
    await tick();
    executor.restoreLink();
    clock.advance(FOLLOW_BACKOFF_MS[0]!);
    for (let i = 0; i < 10; i++) await tick();
    // Once, and only now: the write into the dying link reached nobody.
    expect(target.written.slice(before)).toEqual([
      expect.stringContaining('"content":"into the void"'),
    ]);
    const notices = events.flatMap((e) => (e.type === "notice" ? [e.kind] : []));
    // The input channel or the follow channel may notice the drop first.
    expect([...notices].sort()).toEqual(["input_resent", "link_lost", "link_restored"]);
    child.stdout.write(RESULT + RESULT);
    await tick();
    expect(target.stdinEnded).toBe(true);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
  });

  it("touches the heartbeat a third of ORPHAN_TIMEOUT_MS apart when that is under 3 minutes (at most once a second)", () => {
    expect(heartbeatEvery(undefined)).toBe(HEARTBEAT_MS);
    expect(heartbeatEvery(30 * 60_000)).toBe(HEARTBEAT_MS);
    expect(heartbeatEvery(30_000)).toBe(10_000);
    expect(heartbeatEvery(2_000)).toBe(1_000);
  });

  it("touches the heartbeat when it starts following and every minute after, not while the link is down", async () => {
    const { executor, clock, child, collected } = await launched();
    const beats = () => executor.targetCommands.filter((c) => c.startsWith("#heartbeat")).length;
    expect(beats()).toBe(1);
    clock.advance(HEARTBEAT_MS);
    expect(beats()).toBe(2);
    executor.dropLink();
    await tick();
    clock.advance(HEARTBEAT_MS - 1);
    const during = beats();
    executor.restoreLink();
    clock.advance(1);
    expect(during).toBe(2);
    child.end({ code: 0, signal: null, lost: false });
    clock.advance(60_000);
    await collected;
  });

  it("ends the run with the exit status its folder reports: 128 + n is signal n", async () => {
    const { events, child, collected } = await launched();
    child.end({ code: null, signal: "SIGTERM", lost: false });
    await collected;
    expect(finished(events)).toMatchObject({
      outcome: "failed",
      exitCode: null,
      signal: "SIGTERM",
    });
  });

  it("a run whose folder is gone ends disconnected, saying so", async () => {
    const { events, child, collected } = await launched();
    child.folder = false;
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(finished(events)).toMatchObject({ outcome: "disconnected" });
    expect(finished(events).message).toContain("folder");
  });

  it("a follow script that ended oddly (killed) while the run lives is started again from the byte it had", async () => {
    const { executor, events, child, collected } = await launched();
    child.stdout.write(text("m1", "one"));
    await tick();
    const first = executor.children.find((c) =>
      executor.scripts[executor.children.indexOf(c)]?.startsWith("#follow"),
    );
    child.followers.clear();
    first?.end({ code: null, signal: "SIGKILL", lost: false });
    for (let i = 0; i < 10; i++) await tick();
    child.stdout.write(text("m2", "two") + RESULT);
    child.end({ code: 0, signal: null, lost: false });
    await collected;
    expect(executor.scripts.filter((s) => s.startsWith("#follow"))).toEqual([
      "#follow run_1 0 0",
      `#follow run_1 ${text("m1", "one").length} 0`,
    ]);
    expect(texts(events)).toEqual(["one", "two"]);
    // Not a dropped link: no notices.
    expect(events.some((e) => e.type === "notice")).toBe(false);
    expect(finished(events).outcome).toBe("completed");
  });
});
