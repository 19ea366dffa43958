// The scenarios `@fake <name> [key=value ...]` can ask for; each writes real-shaped output via ctx.out.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { callTool } from "./tools.mjs";
import { toolUseId, writeOut } from "./output.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const int = (v, dflt) => {
  const n = Number.parseInt(v ?? "", 10);
  return Number.isFinite(n) && n >= 0 ? n : dflt;
};
// ignore-sigint and child hold the process when nothing follows them, so a test can cancel it.
const holdMs = (p, ctx) => int(p.ms, ctx.isLast ? 600_000 : 0);

export const UNICODE_SAMPLE =
  "Unicode: héllo wörld · 日本語のテキスト · 中文字符 · 한국어 · emoji 👩🏽‍💻🧑‍🤝‍🧑🇫🇷✨ · עברית العربية · e\u0301 a\u0308 · 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 · \u{1F600}";
export const HOSTILE_SAMPLE =
  'Hostile: <img src=x onerror=alert(1)> <script>alert("xss")</script> [link](javascript:alert(1)) </div><b>bold?</b> &amp; &lt;';

async function useTool(ctx, name, input, { intro, parent = null } = {}) {
  const id = toolUseId();
  const blocks = [];
  if (intro) blocks.push({ type: "text", text: intro });
  blocks.push({ type: "tool_use", id, name, input });
  await ctx.out.message(blocks, { parent, stopReason: "tool_use" });
  const r = callTool(ctx, name, input);
  if (r.denied) ctx.out.denied(name, id, input);
  await ctx.out.toolResult(id, r.content, {
    isError: r.isError,
    parent,
    toolUseResult: r.toolUseResult,
  });
  return r;
}

export const scenarios = {
  async hello(ctx, p) {
    await ctx.out.message(
      [{ type: "text", text: p.text ?? "Hello from fake-claude! How can I help with your idea?" }],
      {
        stopReason: "end_turn",
      },
    );
  },

  async tool(ctx, p) {
    const name = p.name ?? "Read";
    const path = resolve(
      ctx.cwd,
      p.path ?? (name === "Write" ? "fake-claude-output.txt" : "README.md"),
    );
    const input =
      name === "Read"
        ? { file_path: path }
        : name === "Write"
          ? { file_path: path, content: p.content ?? "written by fake-claude\n" }
          : name === "Bash"
            ? { command: p.command ?? "ls", description: "List files" }
            : name === "Grep"
              ? { pattern: p.pattern ?? "TODO" }
              : name === "Glob"
                ? { pattern: p.pattern ?? "**/*" }
                : {};
    const r = await useTool(ctx, name, input, { intro: `I'll use ${name} now.` });
    const summary = r.denied
      ? `I could not use ${name}: permission was not granted.`
      : r.isError
        ? `${name} failed: ${r.content}`
        : `${name} worked: ${r.content.split("\n").length} line(s) of output.`;
    await ctx.out.message([{ type: "text", text: summary }], { stopReason: "end_turn" });
  },

  async "echo-prompt"(ctx) {
    const report = {
      promptBytes: Buffer.byteLength(ctx.prompt),
      promptSha256: createHash("sha256").update(ctx.prompt).digest("hex"),
      stdinBytes: ctx.stdin.length,
      stdinSha256: createHash("sha256").update(ctx.stdin).digest("hex"),
      argv: ctx.argv,
      cwd: ctx.cwd,
      inputFormat: ctx.opts.inputFormat,
      sessionId: ctx.out.sessionId,
      resumed: ctx.session.resumed,
      previousTurns: ctx.session.turns.length,
      env: Object.fromEntries(
        Object.entries(process.env).filter(([k]) => /^(ANTHROPIC_|CLAUDE_|FAKE_CLAUDE)/.test(k)),
      ),
      pid: process.pid,
    };
    await ctx.out.message([{ type: "text", text: JSON.stringify(report) }], {
      stopReason: "end_turn",
    });
  },

  async slow(ctx, p) {
    const count = int(p.count, 10);
    const interval = int(p.interval, 200);
    // stamp=1 (bench:relay): one whole message per line, its text ending in ` t=<epoch ms>` taken
    // right before the write, so a reader on this machine can measure the relay's latency.
    const stamp = p.stamp === "1";
    if (ctx.out.partial && !stamp) {
      // One message whose text arrives as `count` deltas, one every `interval` ms.
      const text = Array.from({ length: count }, (_, i) => `Line ${i + 1} of ${count}.\n`).join("");
      await ctx.out.message([{ type: "text", text }], {
        stopReason: "end_turn",
        deltaDelayMs: interval,
        chunks: count,
      });
      return;
    }
    for (let i = 1; i <= count; i++) {
      if (i > 1 || interval > 0) await sleep(interval);
      const t = stamp ? ` t=${(performance.timeOrigin + performance.now()).toFixed(3)}` : "";
      await ctx.out.message([{ type: "text", text: `Line ${i} of ${count}.${t}` }], {
        stopReason: "end_turn",
      });
    }
  },

  async silence(ctx, p) {
    // The model hangs after start-up: init is out, then nothing.
    await ctx.out.ensureInit();
    await sleep(int(p.ms, 5000));
  },

  async exit(ctx, p) {
    const code = int(p.code, 1);
    process.stderr.write(`${p.message ?? `fake-claude: exiting with code ${code}`}\n`);
    ctx.stop(code);
  },

  async "ignore-sigint"(ctx, p) {
    ctx.state.ignoreSigint = true;
    await sleep(holdMs(p, ctx));
  },

  async child(ctx, p) {
    const count = Math.max(1, int(p.count, 2));
    const children = [];
    for (let i = 0; i < count; i++) {
      // The last one gets its own session (setsid), like a daemon a tool might start.
      const ownSession = p.setsid !== "0" && i === count - 1;
      const c = spawn("sleep", [p.seconds ?? "1000"], { stdio: "ignore", detached: ownSession });
      c.unref();
      children.push({ pid: c.pid, ownSession });
    }
    await ctx.out.message([{ type: "text", text: JSON.stringify({ children }) }], {
      stopReason: "end_turn",
    });
    await sleep(holdMs(p, ctx));
  },

  async "long-line"(ctx, p) {
    const bytes = int(p.bytes, 1024 * 1024);
    const id = toolUseId();
    const file = resolve(ctx.cwd, "big.txt");
    await ctx.out.message([{ type: "tool_use", id, name: "Read", input: { file_path: file } }], {
      stopReason: "tool_use",
    });
    await ctx.out.toolResult(id, filler(bytes));
    await ctx.out.message([{ type: "text", text: `That file is ${bytes} bytes long.` }], {
      stopReason: "end_turn",
    });
  },

  async unicode(ctx, p) {
    await ctx.out.ensureInit();
    // Write the line in pieces cut inside multi-byte characters, with pauses so the reader gets
    // them as separate chunks.
    const text = await ctx.out.capture(() =>
      ctx.out.message([{ type: "text", text: UNICODE_SAMPLE }], { stopReason: "end_turn" }),
    );
    const bytes = Buffer.from(text);
    const pause = int(p.pause, 2);
    let start = 0;
    for (let i = 1; i < bytes.length; i++) {
      // Cut right after the first byte of every multi-byte character.
      if (bytes[i] >= 0x80 && bytes[i] < 0xc0 && bytes[i - 1] >= 0xc0) {
        await writeOut(bytes.subarray(start, i));
        start = i;
        if (pause > 0) await sleep(pause);
      }
    }
    await writeOut(bytes.subarray(start));
  },

  async hostile(ctx) {
    const id = toolUseId();
    await ctx.out.message(
      [
        { type: "text", text: HOSTILE_SAMPLE },
        {
          type: "tool_use",
          id,
          name: "Read",
          input: { file_path: "<img src=x onerror=alert(2)>" },
        },
      ],
      { stopReason: "tool_use" },
    );
    await ctx.out.toolResult(id, "<script>alert(3)</script>\n<iframe src=javascript:alert(4)>", {
      isError: true,
    });
    await ctx.out.message([{ type: "text", text: "<svg onload=alert(5)> done" }], {
      stopReason: "end_turn",
    });
  },

  async many(ctx, p) {
    const count = int(p.count, 1000);
    ctx.out.buffering = true;
    for (let i = 1; i <= count; i++) {
      await ctx.out.message([{ type: "text", text: `Event ${i} of ${count}.` }], {
        stopReason: "end_turn",
      });
    }
    await ctx.out.flush();
  },

  async subagent(ctx) {
    const taskId = toolUseId();
    const prompt = "List the files in the project and say how many there are.";
    await ctx.out.message(
      [
        { type: "text", text: "I'll ask a subagent to look around." },
        {
          type: "tool_use",
          id: taskId,
          name: "Task",
          input: { description: "Explore the project", prompt, subagent_type: "Explore" },
        },
      ],
      { stopReason: "tool_use" },
    );
    await ctx.out.user([{ type: "text", text: prompt }], { parent: taskId });
    const r = await useTool(ctx, "Glob", { pattern: "**/*" }, { parent: taskId });
    const found = r.isError || r.content === "No files found" ? 0 : r.content.split("\n").length;
    const answer = `The project has ${found} file(s).`;
    await ctx.out.message([{ type: "text", text: answer }], {
      parent: taskId,
      stopReason: "end_turn",
    });
    await ctx.out.toolResult(taskId, [{ type: "text", text: answer }], {
      toolUseResult: {
        status: "completed",
        prompt,
        agentId: randomBytes(4).toString("hex"),
        content: [{ type: "text", text: answer }],
        totalDurationMs: 1234,
        totalTokens: 2345,
        totalToolUseCount: 1,
      },
    });
    await ctx.out.message([{ type: "text", text: `The subagent says: ${answer}` }], {
      stopReason: "end_turn",
    });
  },

  async thinking(ctx) {
    await ctx.out.message(
      [
        {
          type: "thinking",
          thinking: "The person wants an answer. Let me think it through step by step.",
          signature: randomBytes(48).toString("base64"),
        },
        { type: "text", text: "After thinking: here is my answer." },
      ],
      { stopReason: "end_turn" },
    );
  },

  async "permission-denied"(ctx, p) {
    const name = p.name ?? "Write";
    const id = toolUseId();
    const input =
      name === "Bash"
        ? { command: p.command ?? "rm -rf build", description: "Remove the build folder" }
        : { file_path: resolve(ctx.cwd, p.path ?? "plan.md"), content: "# Plan\n" };
    await ctx.out.message([{ type: "tool_use", id, name, input }], { stopReason: "tool_use" });
    const target = name === "Bash" ? "use Bash" : `write to ${input.file_path}`;
    await ctx.out.toolResult(
      id,
      `Claude requested permissions to ${target}, but you haven't granted it yet.`,
      {
        isError: true,
      },
    );
    ctx.out.denied(name, id, input);
    await ctx.out.message(
      [{ type: "text", text: `I need permission to use ${name} to do that.` }],
      {
        stopReason: "end_turn",
      },
    );
  },

  async "not-json"(ctx, p) {
    // What a login shell or a debug flag puts on stdout before or between the JSON lines.
    const lines = p.text
      ? [p.text]
      : [
          "Welcome to Ubuntu 24.04 LTS (GNU/Linux 6.8.0 x86_64)",
          "",
          "[DEBUG] fake-claude: starting",
          "{not json",
        ];
    await ctx.out.raw(`${lines.join("\n")}\n`);
  },

  async notices(ctx) {
    await ctx.out.system("status", { status: "compacting" });
    await ctx.out.system("compact_boundary", {
      compact_metadata: { trigger: "auto", pre_tokens: 155000 },
    });
    await ctx.out.system("api_retry", {
      attempt: 1,
      max_retries: 10,
      retry_delay_ms: 1200,
      error_status: 529,
      error: "overloaded",
    });
    await ctx.out.line({
      type: "rate_limit_event",
      rate_limit_info: {
        status: "allowed_warning",
        resetsAt: Math.floor(Date.now() / 1000) + 3600,
        rateLimitType: "five_hour",
      },
      uuid: randomUUID(),
      session_id: ctx.out.sessionId,
    });
    await ctx.out.message([{ type: "text", text: "Back to work." }], { stopReason: "end_turn" });
  },

  async "api-error"(ctx, p) {
    // What Claude Code 2.1 prints when the API fails for good: a synthetic assistant message with
    // `error`, a result with subtype "success" but is_error true, and exit code 1 (stderr empty).
    const status = int(p.status, 401);
    const [error, text] = API_ERRORS[status] ?? [
      "unknown",
      `API Error: ${status} Request failed. Try again in a moment.`,
    ];
    await ctx.out.syntheticError(error, text, status);
    ctx.state.result = {
      subtype: "success",
      isError: true,
      resultText: text,
      terminalReason: "api_error",
      apiErrorStatus: status,
    };
    ctx.stop(1);
  },

  async result(ctx, p) {
    ctx.state.result = {
      subtype: p.subtype ?? "error_max_turns",
      errors: p.errors ? p.errors.split("|") : [],
    };
  },
};

const API_ERRORS = {
  401: ["authentication_failed", "Invalid API key · Fix external API key"],
  500: [
    "server_error",
    "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a moment.",
  ],
  529: [
    "overloaded",
    "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.",
  ],
};

// Deterministic text of exactly `bytes` UTF-8 bytes, multi-byte characters and newlines included.
export function filler(bytes) {
  const unit = "fake line of text with ünïcödé and 日本 and 👍\n";
  const unitBytes = Buffer.byteLength(unit);
  const whole = Math.floor(bytes / unitBytes);
  return unit.repeat(whole) + "x".repeat(bytes - whole * unitBytes);
}
