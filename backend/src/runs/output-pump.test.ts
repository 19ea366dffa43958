import { describe, expect, it } from "vitest";
import { createEventQueue } from "./event-queue.js";
import { createOutputPump, type OutputHooks } from "./output-pump.js";
import type { ResumePoint, RunOutput } from "./runner.js";

/** A pump with hooks that record what they were told; `out`/`err` push a file's bytes. */
function setup(override: Partial<OutputHooks> = {}, from?: { out: ResumePoint; err: ResumePoint }) {
  const queue = createEventQueue<RunOutput>();
  const seen = { activity: 0, pauses: 0, errors: [] as unknown[] };
  const pump = createOutputPump(
    queue,
    {
      activity: () => seen.activity++,
      internalError: (err) => seen.errors.push(err),
      decoded: () => {},
      pause: () => seen.pauses++,
      ...override,
    },
    from,
  );
  const out = (s: string) => pump.push("out", Buffer.from(s));
  const err = (s: string) => pump.push("err", Buffer.from(s));
  /** Ends the pump and the queue, and returns every event it queued. */
  const drain = async () => {
    pump.end();
    queue.end();
    const events: RunOutput[] = [];
    for await (const e of queue) events.push(e);
    return events;
  };
  return { queue, pump, out, err, seen, drain };
}

const STATUS = '{"type":"system","subtype":"status","status":"requesting"}\n';
const RESULT = '{"type":"result","subtype":"success","is_error":false,"result":"ok"}\n';

describe("createOutputPump", () => {
  it("decodes out.ndjson, counts activity on both files, and emits a last line without newline at end()", async () => {
    const { out, err, seen, drain } = setup();
    out(`${STATUS}{"type":"res`);
    out('ult","subtype":"success","is_error":false,"result":"ok"}');
    err("warn\n");
    const events = await drain();
    expect(seen.activity).toBe(3);
    expect(events.map((e) => e.type)).toEqual(["notice", "stderr", "result"]);
  });

  it("gives each event its source: the first byte of its line in its file, and its place among the line's events", async () => {
    const { out, err, pump, drain } = setup();
    // An assistant line with two blocks yields two events from one line.
    const two =
      '{"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}\n';
    out(STATUS.slice(0, 10));
    out(STATUS.slice(10) + two);
    err("e1\n\ne2\n");
    const events = await drain();
    const sources = events.map((e) => pump.sourceOf(e));
    expect(sources).toEqual([
      { stream: "out", line: 0, index: 0 },
      { stream: "out", line: STATUS.length, index: 0 },
      { stream: "out", line: STATUS.length, index: 1 },
      { stream: "err", line: 0, index: 0 },
      { stream: "err", line: 4, index: 0 },
    ]);
    expect(pump.received()).toEqual({ out: STATUS.length + two.length, err: 7 });
    expect(pump.sourceOf({ type: "user_message_queued", runId: "r", message: "x" })).toBeNull();
  });

  it("resumes at a line boundary: offsets go on from there, and the first line's known events are skipped", async () => {
    const two =
      '{"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}}\n';
    const { out, pump, drain } = setup(
      {},
      { out: { offset: 1000, skip: 1 }, err: { offset: 7, skip: 0 } },
    );
    out(two + two);
    const events = await drain();
    expect(events.map((e) => [e.type === "text" && e.text, pump.sourceOf(e)])).toEqual([
      ["b", { stream: "out", line: 1000, index: 1 }],
      ["a", { stream: "out", line: 1000 + two.length, index: 0 }],
      ["b", { stream: "out", line: 1000 + two.length, index: 1 }],
    ]);
    expect(pump.received()).toEqual({ out: 1000 + 2 * two.length, err: 7 });
  });

  it("keeps the first line of the CLI's error result as the failure", async () => {
    const { out, pump, drain } = setup();
    out('{"type":"result","subtype":"success","is_error":true,"result":"API Error: 500\\nmore"}\n');
    await drain();
    expect(pump.failure).toBe("API Error: 500");
  });

  it("words an error result without text by its subtype", async () => {
    const { out, pump, drain } = setup();
    out('{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":3}\n');
    await drain();
    expect(pump.failure).toBe("Claude stopped after reaching the maximum number of turns (3).");
  });

  it("a later successful result clears the failure", async () => {
    const { out, pump, drain } = setup();
    out('{"type":"result","subtype":"success","is_error":true,"result":"API Error: 500"}\n');
    out(RESULT);
    await drain();
    expect(pump.failure).toBeNull();
  });

  it("keeps the last 20 stderr lines, each cut to 2000 characters", async () => {
    const { err, pump, drain } = setup();
    for (let i = 0; i < 30; i++) err(`line ${i}\n`);
    err(`${"x".repeat(5000)}\n`);
    await drain();
    expect(pump.stderrTail).toHaveLength(20);
    expect(pump.stderrTail[0]).toBe("line 11");
    expect(pump.stderrTail.at(-1)).toBe(`${"x".repeat(2000)}…`);
  });

  it("asks to pause when the reader falls behind", async () => {
    const { out, seen, drain } = setup();
    out(STATUS.repeat(2049));
    expect(seen.pauses).toBe(1);
    expect(await drain()).toHaveLength(2049);
  });

  it("reports a throw while handling a chunk as an internal error instead of crashing", () => {
    const { out, seen } = setup({
      decoded: () => {
        throw new Error("boom");
      },
    });
    out(RESULT);
    expect(seen.errors).toEqual([new Error("boom")]);
  });
});
