// Deterministic stream-json input for bench:parse: a realistic session, and a unicode-heavy variant.

// mulberry32: a small seeded PRNG, so every run decodes the same bytes in the same chunks.
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ASCII_WORDS = [
  "the",
  "build",
  "function",
  "returns",
  "file",
  "test",
  "passes",
  "const",
  "await",
  "error",
  "line",
  "value",
  "import",
  "export",
  "config",
  "server",
  "request",
  "response",
  "handler",
  "index",
];
const UNICODE_WORDS = [
  "über",
  "naïve",
  "日本語",
  "テスト",
  "résumé",
  "🚀",
  "✅",
  "Ωmega",
  "данные",
  "👩🏽‍💻",
];

/** Words with a given share of non-ASCII ones. */
function words(rand: () => number, bytes: number, unicodeShare: number, lineEvery: number): string {
  const parts: string[] = [];
  let n = 0;
  let onLine = 0;
  while (n < bytes) {
    const pool = rand() < unicodeShare ? UNICODE_WORDS : ASCII_WORDS;
    const w = pool[Math.floor(rand() * pool.length)] ?? "x";
    parts.push(w);
    n += w.length + 1;
    if (++onLine >= lineEvery) {
      parts.push("\n");
      onLine = 0;
    }
  }
  return parts.join(" ");
}

/**
 * A session as the CLI writes it: init; turns of partial-message deltas, sometimes thinking, a text
 * block, a tool call and its 1-200 KB result (log-uniform); a result. `unicodeShare` is the share of
 * non-ASCII words: code and logs are nearly all ASCII, prose has some.
 */
export function mixedStream(rand: () => number, target: number, unicodeShare: number): Buffer {
  const session = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
  const lines: string[] = [];
  let bytes = 0;
  const add = (obj: unknown) => {
    const l = `${JSON.stringify(obj)}\n`;
    lines.push(l);
    bytes += Buffer.byteLength(l);
  };
  const usage = {
    input_tokens: 4,
    cache_creation_input_tokens: 120,
    cache_read_input_tokens: 14000,
    output_tokens: 80,
    service_tier: "standard",
  };
  add({
    type: "system",
    subtype: "init",
    cwd: "/home/dev/project",
    session_id: session,
    tools: ["Read", "Write", "Bash"],
    mcp_servers: [],
    model: "claude-sonnet-4-5-20250929",
    permissionMode: "acceptEdits",
    apiKeySource: "none",
    claude_code_version: "2.0.76",
    uuid: "5c1e9a2b-0000-4000-8000-000000000000",
  });
  let turn = 0;
  const assistant = (id: string, block: unknown) =>
    add({
      type: "assistant",
      message: {
        id,
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5-20250929",
        content: [block],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
      parent_tool_use_id: null,
      session_id: session,
      uuid: `5c1e9a2b-0000-4000-8000-${String(turn).padStart(12, "0")}`,
    });
  while (bytes < target) {
    turn++;
    const id = `msg_01${turn}`;
    const text = words(rand, 50 + Math.floor(rand() * 1500), unicodeShare * 2, 40);
    for (let i = 0; i < 4; i++) {
      add({
        type: "stream_event",
        event: {
          type: "content_block_delta",
          index: 0,
          delta: { type: "text_delta", text: text.slice(i * 10, i * 10 + 10) },
        },
        session_id: session,
        parent_tool_use_id: null,
        uuid: "5c1e9a2b-0000-4000-8000-000000000001",
      });
    }
    if (rand() < 0.3)
      assistant(id, {
        type: "thinking",
        thinking: words(rand, 300, unicodeShare, 40),
        signature: "EqQBCkYIBxgCKkA",
      });
    assistant(id, { type: "text", text });
    const toolId = `toolu_01${turn}`;
    assistant(id, {
      type: "tool_use",
      id: toolId,
      name: "Read",
      input: { file_path: `/home/dev/project/src/file${turn}.ts` },
    });
    const size = Math.floor(1000 * Math.pow(200, rand()));
    add({
      type: "user",
      message: {
        role: "user",
        content: [
          {
            tool_use_id: toolId,
            type: "tool_result",
            content: words(rand, size, unicodeShare, 12),
          },
        ],
      },
      parent_tool_use_id: null,
      session_id: session,
      uuid: "5c1e9a2b-0000-4000-8000-000000000002",
    });
  }
  add({
    type: "result",
    subtype: "success",
    is_error: false,
    duration_ms: 1,
    duration_api_ms: 1,
    num_turns: turn,
    result: "done",
    session_id: session,
    total_cost_usd: 1.23,
    usage,
    permission_denials: [],
    uuid: "5c1e9a2b-0000-4000-8000-000000000003",
  });
  return Buffer.from(lines.join(""));
}

/**
 * A chat with `--include-partial-messages`: mostly small text deltas (a few words each, as the API
 * streams them), every 50th line the whole text block. What the live page receives line by line.
 */
export function deltaStream(rand: () => number, target: number): Buffer {
  const session = "3f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < target; i++) {
    const obj =
      i % 50 === 49
        ? {
            type: "assistant",
            message: {
              id: `msg_01${i}`,
              type: "message",
              role: "assistant",
              content: [{ type: "text", text: words(rand, 600, 0.02, 40) }],
            },
            parent_tool_use_id: null,
            session_id: session,
            uuid: "5c1e9a2b-0000-4000-8000-000000000004",
          }
        : {
            type: "stream_event",
            event: {
              type: "content_block_delta",
              index: 0,
              delta: {
                type: "text_delta",
                text: words(rand, 5 + Math.floor(rand() * 30), 0.02, 40),
              },
            },
            session_id: session,
            parent_tool_use_id: null,
            uuid: "5c1e9a2b-0000-4000-8000-000000000005",
            api_message_id: `msg_01${Math.floor(i / 50)}`,
          };
    const l = `${JSON.stringify(obj)}\n`;
    lines.push(l);
    bytes += Buffer.byteLength(l);
  }
  return Buffer.from(lines.join(""));
}

/** Cuts `buf` into chunks whose sizes `sizeOf` picks. */
export function chunked(buf: Buffer, sizeOf: () => number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length;) {
    const n = sizeOf();
    chunks.push(buf.subarray(i, i + n));
    i += n;
  }
  return chunks;
}
