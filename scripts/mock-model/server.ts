// The mock model's HTTP server: enough of the Anthropic Messages API for Claude Code, scripted.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  formatSse,
  messageJson,
  messageStartEvent,
  sseEvents,
  type Answer,
  type Block,
} from "./answer.js";
import {
  isMainRequest,
  lastToolResultIds,
  messagesRequestSchema,
  type MessagesRequest,
} from "./request.js";
import { scenarioSchema, type Scenario, type ScenarioInput, type Turn } from "./scenario.js";

export type RequestKind =
  "main" | "side" | "count_tokens" | "models" | "probe" | "unknown" | "bad_request";

/** Everything the CLI sent, for tests to assert on. */
export interface RecordedRequest {
  seq: number;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (or the raw text when it was not JSON; null when empty). */
  body: unknown;
  kind: RequestKind;
  /** Index of the scripted turn that answered it, when one did. */
  turn: number | null;
  /** The parsed Messages request, for `/v1/messages` calls. */
  messages?: MessagesRequest;
}

export interface MockModel {
  url: string;
  readonly requests: RecordedRequest[];
  /** Scripted turns not yet served. */
  remainingTurns(): number;
  /** Replaces the script and clears the recorded requests. */
  setScenario(s: ScenarioInput): void;
  close(): Promise<void>;
}

const errorTypes: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

const defaultErrorMessages: Record<number, string> = {
  401: "invalid x-api-key",
  429: "Number of requests has exceeded your rate limit",
  500: "Internal server error",
  529: "Overloaded",
};

function sendError(res: ServerResponse, status: number, message?: string): void {
  const type = errorTypes[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
  sendJson(res, status, {
    type: "error",
    error: { type, message: message ?? defaultErrorMessages[status] ?? `HTTP ${status}` },
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "request-id": `req_mock_${Date.now()}`,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(parts).toString("utf8");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startMockModel(
  input: ScenarioInput | Scenario,
  opts: { port?: number; log?: (line: string) => void } = {},
): Promise<MockModel> {
  let scenario = scenarioSchema.parse(input);
  const requests: RecordedRequest[] = [];
  let next = 0;
  let errorServed = 0;
  let pendingToolId: string | null = null;
  let ids = 0;

  /** A new script, a clean record: one server can serve many tests. */
  function load(s: Scenario): void {
    scenario = s;
    requests.length = 0;
    next = 0;
    errorServed = 0;
    pendingToolId = null;
  }

  const answer = (model: string, req: MessagesRequest, blocks: Block[]): Answer => ({
    id: `msg_mock_${++ids}`,
    model: model || scenario.model,
    blocks,
    inputTokens: Math.max(1, Math.ceil(JSON.stringify(req.messages).length / 4)),
  });

  /** Which turn answers this main request, advancing the script (null: nothing scripted left). */
  function takeTurn(req: MessagesRequest): { index: number; turn: Turn } | "side" | null {
    if (pendingToolId !== null) {
      // The script only moves on when the CLI reports what the tool did.
      if (!lastToolResultIds(req).includes(pendingToolId)) return "side";
      pendingToolId = null;
    }
    const index = next;
    const turn = scenario.turns[index];
    if (!turn) return null;
    if (turn.type === "error") {
      errorServed += 1;
      if (errorServed >= turn.times) {
        next += 1;
        errorServed = 0;
      }
    } else next += 1;
    return { index, turn };
  }

  async function stream(
    res: ServerResponse,
    a: Answer,
    cut?: { partialText?: string },
  ): Promise<void> {
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "request-id": `req_mock_${a.id}`,
    });
    if (cut) {
      res.write(formatSse(messageStartEvent(a)));
      if (cut.partialText !== undefined) {
        res.write(
          formatSse({
            event: "content_block_start",
            data: {
              type: "content_block_start",
              index: 0,
              content_block: { type: "text", text: "" },
            },
          }),
        );
        res.write(
          formatSse({
            event: "content_block_delta",
            data: {
              type: "content_block_delta",
              index: 0,
              delta: { type: "text_delta", text: cut.partialText },
            },
          }),
        );
      }
      // Let the bytes leave before cutting, so the client sees a stream that breaks midway.
      await sleep(20);
      res.socket?.destroy();
      return;
    }
    for (const e of sseEvents(a)) {
      if (e.delayMs > 0) await sleep(e.delayMs);
      if (res.destroyed || res.writableEnded) return;
      res.write(formatSse(e));
    }
    res.end();
  }

  async function handleMessages(req: MessagesRequest, res: ServerResponse, rec: RecordedRequest) {
    const side = (): Block[] => [{ type: "text", text: scenario.sideText }];
    let blocks: Block[];
    let cut: { partialText?: string } | undefined;
    const taken = isMainRequest(req) ? takeTurn(req) : "side";
    if (taken === "side") {
      rec.kind = "side";
      blocks = side();
    } else if (taken === null) {
      blocks = [{ type: "text", text: scenario.fallbackText }];
    } else {
      rec.turn = taken.index;
      const t = taken.turn;
      if (t.type === "error") return sendError(res, t.status, t.message);
      if (t.type === "drop") {
        blocks = [{ type: "text", text: t.partialText ?? "" }];
        cut = t.partialText === undefined ? {} : { partialText: t.partialText };
      } else if (t.type === "text") {
        blocks = [
          { type: "text", text: t.text, deltaChars: t.deltaChars, intervalMs: t.intervalMs },
        ];
      } else {
        const id = `toolu_mock_${String(++ids).padStart(4, "0")}`;
        pendingToolId = id;
        blocks = [
          ...(t.text ? [{ type: "text" as const, text: t.text }] : []),
          { type: "tool_use", id, name: t.name, input: t.input },
        ];
      }
    }
    const a = answer(req.model, req, blocks);
    if (req.stream === true || cut) return stream(res, a, cut);
    sendJson(res, 200, messageJson(a));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://mock");
    const raw = await readBody(req);
    let body: unknown = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    // Control routes for tests in another process (they cannot import this module).
    if (url.pathname === "/_mock/requests" && req.method === "GET")
      return sendJson(res, 200, requests);
    if (url.pathname === "/_mock/scenario" && req.method === "PUT") {
      const parsed = scenarioSchema.safeParse(body);
      if (!parsed.success) return sendError(res, 400, `invalid scenario: ${parsed.error.message}`);
      load(parsed.data);
      return sendJson(res, 200, { ok: true });
    }
    const rec: RecordedRequest = {
      seq: requests.length + 1,
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search,
      headers: req.headers,
      body,
      kind: "unknown",
      turn: null,
    };
    requests.push(rec);
    opts.log?.(`${rec.method} ${rec.path}${rec.query}`);

    if (rec.method === "POST" && url.pathname === "/v1/messages") {
      const parsed = messagesRequestSchema.safeParse(body);
      if (!parsed.success) {
        rec.kind = "bad_request";
        return sendError(
          res,
          400,
          `invalid request body: ${parsed.error.issues[0]?.message ?? "not JSON"}`,
        );
      }
      rec.kind = "main";
      rec.messages = parsed.data;
      return handleMessages(parsed.data, res, rec);
    }
    if (rec.method === "POST" && url.pathname === "/v1/messages/count_tokens") {
      rec.kind = "count_tokens";
      return sendJson(res, 200, { input_tokens: Math.max(1, Math.ceil(raw.length / 4)) });
    }
    if (rec.method === "GET" && url.pathname.startsWith("/v1/models")) {
      rec.kind = "models";
      const model = {
        type: "model",
        id: scenario.model,
        display_name: "Mock model",
        created_at: "2025-01-01T00:00:00Z",
      };
      if (url.pathname === "/v1/models") {
        return sendJson(res, 200, {
          data: [model],
          has_more: false,
          first_id: model.id,
          last_id: model.id,
        });
      }
      return sendJson(res, 200, {
        ...model,
        id: decodeURIComponent(url.pathname.slice("/v1/models/".length)),
      });
    }
    // Without CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC the CLI first checks it can reach the API.
    if (url.pathname === "/api/hello") {
      rec.kind = "probe";
      return sendJson(res, 200, { message: "hello" });
    }
    sendError(res, 404, `the mock model does not know ${rec.method} ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `mock model failed: ${String(err)}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    remainingTurns: () => scenario.turns.length - next,
    setScenario: (s) => load(scenarioSchema.parse(s)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
