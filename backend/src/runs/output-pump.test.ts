import { describe, expect, it } from "vitest";
import { createEventQueue } from "./event-queue.js";
import { FakeChild } from "./fakes.test-helpers.js";
import { createOutputPump, type OutputHooks } from "./output-pump.js";
import type { RunOutput } from "./runner.js";

/** A pump over a FakeChild, with hooks that record what they were told. */
function setup(override: Partial<OutputHooks> = {}) {
  const queue = createEventQueue<RunOutput>();
  const seen = {
    activity: 0,
    groups: [] as number[],
    noCli: false,
    paths: [] as string[],
    errors: [] as unknown[],
  };
  const pump = createOutputPump(queue, {
    activity: () => seen.activity++,
    processGroup: (g) => seen.groups.push(g),
    noCli: () => (seen.noCli = true),
    loginPath: (p) => seen.paths.push(p),
    internalError: (err) => seen.errors.push(err),
    decoded: () => {},
    ...override,
  });
  const child = new FakeChild();
  pump.attach(child);
  /** Ends the pump and the queue, and returns every event it queued. */
  const drain = async () => {
    pump.end();
    queue.end();
    const out: RunOutput[] = [];
    for await (const e of queue) out.push(e);
    return out;
  };
  return { queue, pump, child, seen, drain };
}

describe("createOutputPump", () => {
  it("takes the wrapper's prelude off stderr and tells the hooks; the CLI's own stderr stays", async () => {
    const { child, seen, drain } = setup();
    child.stderr.write("__CATALYST_LOGIN_PATH__=/home/u/bin:/usr/bin\n__CATALYST_PID__=4242\n");
    child.stderr.write("__CATALYST_PID__=99\n__CATALYST_EXEC__\n__CATALYST_PID__=7\nreal\n");
    const events = await drain();
    // Each group the wrapper reports before the exec marker (the durable launch reports two).
    expect(seen.groups).toEqual([4242, 99]);
    expect(seen.paths).toEqual(["/home/u/bin:/usr/bin"]);
    expect(seen.noCli).toBe(false);
    // After the exec marker everything on stderr is the CLI's, even a line that looks like ours.
    expect(events).toMatchObject([
      { type: "stderr", text: "__CATALYST_PID__=7" },
      { type: "stderr", text: "real" },
    ]);
  });

  it("says when the wrapper found no CLI", async () => {
    const { child, seen, drain } = setup();
    child.stderr.write("__CATALYST_NO_CLI__\n");
    expect(await drain()).toEqual([]);
    expect(seen.noCli).toBe(true);
  });

  it("decodes stdout, counts activity on both streams, and emits a last line without newline at end()", async () => {
    const { child, seen, drain } = setup();
    child.stdout.write('{"type":"system","subtype":"status","status":"requesting"}\n{"type":"res');
    child.stdout.write('ult","subtype":"success","is_error":false,"result":"ok"}');
    child.stderr.write("__CATALYST_EXEC__\n");
    const events = await drain();
    expect(seen.activity).toBe(3);
    expect(events.map((e) => e.type)).toEqual(["notice", "result"]);
  });

  it("keeps the first line of the CLI's error result as the failure", async () => {
    const { child, pump, drain } = setup();
    child.stdout.write(
      '{"type":"result","subtype":"success","is_error":true,"result":"API Error: 500\\nmore"}\n',
    );
    await drain();
    expect(pump.failure).toBe("API Error: 500");
  });

  it("words an error result without text by its subtype", async () => {
    const { child, pump, drain } = setup();
    child.stdout.write(
      '{"type":"result","subtype":"error_max_turns","is_error":true,"num_turns":3}\n',
    );
    await drain();
    expect(pump.failure).toBe("Claude stopped after reaching the maximum number of turns (3).");
  });

  it("keeps the last 20 stderr lines, each cut to 2000 characters", async () => {
    const { child, pump, drain } = setup();
    child.stderr.write("__CATALYST_EXEC__\n");
    for (let i = 0; i < 30; i++) child.stderr.write(`line ${i}\n`);
    child.stderr.write(`${"x".repeat(5000)}\n`);
    await drain();
    expect(pump.stderrTail).toHaveLength(20);
    expect(pump.stderrTail[0]).toBe("line 11");
    expect(pump.stderrTail.at(-1)).toBe(`${"x".repeat(2000)}…`);
  });

  it("pauses both streams when the reader falls behind", async () => {
    const { child, drain } = setup();
    child.stderr.write("__CATALYST_EXEC__\n");
    const line = '{"type":"system","subtype":"status"}\n';
    child.stdout.write(line.repeat(2049));
    expect(child.stdout.isPaused()).toBe(true);
    expect(child.stderr.isPaused()).toBe(true);
    expect(await drain()).toHaveLength(2049);
  });

  it("reports a throw while handling a chunk as an internal error instead of crashing", async () => {
    const { child, seen } = setup({
      loginPath: () => {
        throw new Error("boom");
      },
    });
    child.stderr.write("__CATALYST_LOGIN_PATH__=/usr/bin\n");
    expect(seen.errors).toEqual([new Error("boom")]);
  });
});
