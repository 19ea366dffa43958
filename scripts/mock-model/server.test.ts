import { afterEach, describe, expect, it } from "vitest";
import { parseSse, type ReceivedEvent } from "./sse-client.js";
import { startMockModel, type MockModel } from "./server.js";
import type { ScenarioInput } from "./scenario.js";

const tools = [{ name: "Read", input_schema: { type: "object" } }];
let model: MockModel | undefined;

afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function start(s: ScenarioInput): Promise<MockModel> {
  model = await startMockModel(s);
  return model;
}

function post(m: MockModel, body: unknown, path = "/v1/messages?beta=true"): Promise<Response> {
  return fetch(`${m.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "dummy" },
    body: JSON.stringify(body),
  });
}

const userTurn = (text: string) => ({ role: "user", content: [{ type: "text", text }] });
const mainRequest = (messages: unknown[], stream = true) => ({
  model: "claude-test",
  max_tokens: 1000,
  stream,
  tools,
  messages,
});

async function streamed(m: MockModel, body: unknown): Promise<ReceivedEvent[]> {
  const res = await post(m, body);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  return parseSse(await res.text());
}

const field = (e: ReceivedEvent, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined),
    e.data,
  );

describe("mock model", () => {
  it("streams a text turn as the full Messages API event sequence", async () => {
    const m = await start({
      turns: [{ type: "text", text: "Hello there, friend", deltaChars: 5 }],
    });
    const events = await streamed(m, mainRequest([userTurn("hi")]));
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      ...Array(4).fill("content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const text = events
      .filter((e) => e.event === "content_block_delta")
      .map((e) => field(e, "delta", "text"))
      .join("");
    expect(text).toBe("Hello there, friend");
    expect(field(events[0]!, "message", "model")).toBe("claude-test");
    expect(field(events.at(-2)!, "delta", "stop_reason")).toBe("end_turn");
    expect(field(events.at(-2)!, "usage", "output_tokens")).toBeGreaterThan(0);
  });

  it("serves a tool call, then the next turn only once the tool_result comes back", async () => {
    const m = await start({
      turns: [
        { type: "tool", name: "Read", input: { file_path: "notes.txt" }, text: "Reading." },
        { type: "text", text: "Done." },
      ],
    });
    const first = await streamed(m, mainRequest([userTurn("read it")]));
    const toolStart = first.find((e) => field(e, "content_block", "type") === "tool_use")!;
    const id = field(toolStart, "content_block", "id");
    expect(field(toolStart, "content_block", "name")).toBe("Read");
    const json = first
      .filter((e) => field(e, "delta", "type") === "input_json_delta")
      .map((e) => field(e, "delta", "partial_json"))
      .join("");
    expect(JSON.parse(json)).toEqual({ file_path: "notes.txt" });
    expect(field(first.at(-2)!, "delta", "stop_reason")).toBe("tool_use");

    // A request without the tool's result does not move the script on.
    const other = await streamed(m, mainRequest([userTurn("something else")]));
    expect(other.map((e) => field(e, "delta", "text")).join("")).toBe("Mock title");
    expect(m.remainingTurns()).toBe(1);

    const withResult = [
      userTurn("read it"),
      { role: "assistant", content: [{ type: "tool_use", id, name: "Read", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: "hi" }] },
    ];
    const second = await streamed(m, mainRequest(withResult));
    expect(second.map((e) => field(e, "delta", "text")).join("")).toBe("Done.");
    expect(m.requests.map((r) => [r.kind, r.turn])).toEqual([
      ["main", 0],
      ["side", null],
      ["main", 1],
    ]);
  });

  it("answers side requests (no tools) without consuming a turn", async () => {
    const m = await start({ turns: [{ type: "text", text: "Scripted." }], sideText: "A title" });
    const res = await post(m, { model: "haiku", max_tokens: 50, messages: [userTurn("title?")] });
    const body: unknown = await res.json();
    expect(body).toMatchObject({ type: "message", content: [{ type: "text", text: "A title" }] });
    expect(m.remainingTurns()).toBe(1);
    expect(m.requests[0]?.kind).toBe("side");
  });

  it("answers non-streaming requests with a JSON message", async () => {
    const m = await start({
      turns: [{ type: "tool", name: "Write", input: { file_path: "a", content: "b" } }],
    });
    const res = await post(m, mainRequest([userTurn("write")], false));
    const body: unknown = await res.json();
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      stop_reason: "tool_use",
      content: [{ type: "tool_use", name: "Write", input: { file_path: "a", content: "b" } }],
    });
  });

  it("accepts role system entries inside messages", async () => {
    const m = await start({ turns: [{ type: "text", text: "ok" }] });
    const res = await post(
      m,
      mainRequest([{ role: "system", content: "be brief" }, userTurn("hi")]),
    );
    expect(res.status).toBe(200);
    expect(m.requests[0]?.messages?.messages[0]?.role).toBe("system");
  });

  it("returns scripted HTTP errors in the API's error shape, `times` times", async () => {
    const m = await start({
      turns: [
        { type: "error", status: 500, times: 2 },
        { type: "error", status: 401 },
        { type: "error", status: 529, message: "Too busy" },
      ],
    });
    const statuses: number[] = [];
    const bodies: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(m, mainRequest([userTurn("hi")]));
      statuses.push(res.status);
      bodies.push(await res.json());
    }
    expect(statuses).toEqual([500, 500, 401, 529]);
    expect(bodies[2]).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
    expect(bodies[3]).toMatchObject({ error: { type: "overloaded_error", message: "Too busy" } });
  });

  it("cuts the connection mid-stream for a drop turn, then serves the next turn", async () => {
    const m = await start({
      turns: [
        { type: "drop", partialText: "Half an ans" },
        { type: "text", text: "Whole." },
      ],
    });
    const res = await post(m, mainRequest([userTurn("hi")]));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const again = await streamed(m, mainRequest([userTurn("hi")]));
    expect(again.at(-1)?.event).toBe("message_stop");
  });

  it("answers count_tokens, model lookups and the reachability probe; unknown routes get a recorded 404", async () => {
    const m = await start({ turns: [] });
    const count = await post(m, mainRequest([userTurn("hi")]), "/v1/messages/count_tokens");
    expect(await count.json()).toMatchObject({ input_tokens: expect.any(Number) });
    const models = await fetch(`${m.url}/v1/models`);
    expect(await models.json()).toMatchObject({ data: [{ type: "model" }] });
    const hello = await fetch(`${m.url}/api/hello`, { method: "HEAD" });
    expect(hello.status).toBe(200);
    const unknown = await fetch(`${m.url}/v1/something`, { method: "DELETE" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: "not_found_error" } });
    expect(m.requests.map((r) => r.kind)).toEqual(["count_tokens", "models", "probe", "unknown"]);
  });

  it("rejects a body that is not a Messages request with a 400", async () => {
    const m = await start({ turns: [] });
    const res = await fetch(`${m.url}/v1/messages`, { method: "POST", body: "{ not json" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("falls back to a fixed text once the script is used up", async () => {
    const m = await start({ turns: [], fallbackText: "Nothing left." });
    const events = await streamed(m, mainRequest([userTurn("hi")]));
    expect(events.map((e) => field(e, "delta", "text")).join("")).toBe("Nothing left.");
  });

  it("can be re-scripted and inspected over HTTP by a test in another process", async () => {
    const m = await start({ turns: [{ type: "text", text: "one" }] });
    await streamed(m, mainRequest([userTurn("hi")]));
    const put = await fetch(`${m.url}/_mock/scenario`, {
      method: "PUT",
      body: JSON.stringify({ turns: [{ type: "text", text: "two" }] }),
    });
    expect(put.status).toBe(200);
    const listed: unknown = await (await fetch(`${m.url}/_mock/requests`)).json();
    expect(listed).toEqual([]);
    const events = await streamed(m, mainRequest([userTurn("hi")]));
    expect(events.map((e) => field(e, "delta", "text")).join("")).toBe("two");
    const bad = await fetch(`${m.url}/_mock/scenario`, { method: "PUT", body: "{}" });
    expect(bad.status).toBe(400);
  });
});
