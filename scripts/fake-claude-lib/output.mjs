// Writes stream-json lines shaped like the real CLI's (key order and extra fields included).
import { randomUUID } from "node:crypto";
import { messageId } from "./api-ids.mjs";
import { blockStreamEvents } from "./block-stream.mjs";
import { costOf, initLine, resultLine, syntheticErrorLine } from "./cli-lines.mjs";
import { NOTHING_SPENT } from "./session.mjs";

export { messageId, toolUseId } from "./api-ids.mjs";

const tokens = (text) => Math.max(1, Math.ceil(Buffer.byteLength(text) / 4));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits for the pipe to take more when it is full, so a fast scenario never buffers unboundedly. */
export async function writeOut(text) {
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once("drain", r));
}

/**
 * One run's output. In `stream-json` every line is written as it happens; in `text` and `json`
 * only the final result is printed, like the real CLI.
 */
export class Output {
  constructor({ opts, sessionId, cwd, tools, model, version, spent = NOTHING_SPENT }) {
    /** What the resumed session had cost before this process (the real CLI restores it). */
    this.restored = spent;
    /** Set by the `cost` scenario: this process's cost, instead of the one its tokens make. */
    this.fixedCostUsd = null;
    this.opts = opts;
    this.sessionId = sessionId;
    this.cwd = cwd;
    this.tools = tools;
    this.model = model;
    this.version = version;
    this.streaming = opts.outputFormat === "stream-json";
    this.partial = this.streaming && opts.includePartialMessages;
    this.initSent = false;
    this.started = Date.now();
    this.turns = 0;
    this.lastText = "";
    this.denials = [];
    this.usage = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
    this.finished = false;
    this.buffering = false;
    this.buffer = [];
    this.bufferBytes = 0;
    this.sink = null;
  }

  async line(obj) {
    if (!this.streaming) return;
    const text = `${JSON.stringify(obj)}\n`;
    if (this.sink) return void this.sink.push(text);
    if (this.buffering) {
      // Many small lines: one write per 64 KiB instead of one per line.
      this.buffer.push(text);
      this.bufferBytes += text.length;
      if (this.bufferBytes >= 65536) await this.flush();
      return;
    }
    await writeOut(text);
  }

  async flush() {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join("");
    this.buffer = [];
    this.bufferBytes = 0;
    await writeOut(text);
  }

  /** Runs `fn` and returns the lines it wrote instead of writing them. */
  async capture(fn) {
    const lines = [];
    this.sink = lines;
    try {
      await fn();
    } finally {
      this.sink = null;
    }
    return lines.join("");
  }

  async ensureInit() {
    if (this.initSent) return;
    this.initSent = true;
    await this.line(
      initLine({
        cwd: this.cwd,
        sessionId: this.sessionId,
        tools: this.tools,
        model: this.model,
        permissionMode: this.opts.permissionMode,
        version: this.version,
      }),
    );
  }

  /** Non-JSON text on stdout (a shell banner, a debug log). */
  async raw(text) {
    if (this.streaming) await writeOut(text);
  }

  /**
   * One API message: with --include-partial-messages its stream events first, then one
   * `assistant` line per content block, all with the same message id and usage (as the CLI does).
   */
  async message(blocks, { parent = null, stopReason = null, deltaDelayMs = 0, chunks = 4 } = {}) {
    await this.ensureInit();
    const id = messageId();
    const outputTokens = blocks.reduce((n, b) => n + tokens(JSON.stringify(b)), 0);
    const usage = {
      input_tokens: 4,
      cache_creation_input_tokens: this.turns === 0 ? 2345 : 120,
      cache_read_input_tokens: this.turns === 0 ? 12026 : 14371,
      cache_creation: {
        ephemeral_5m_input_tokens: this.turns === 0 ? 2345 : 120,
        ephemeral_1h_input_tokens: 0,
      },
      output_tokens: outputTokens,
      service_tier: "standard",
    };
    this.turns++;
    this.usage.input += usage.input_tokens;
    this.usage.output += outputTokens;
    this.usage.cacheCreation += usage.cache_creation_input_tokens;
    this.usage.cacheRead += usage.cache_read_input_tokens;
    const envelope = { parent_tool_use_id: parent, session_id: this.sessionId };
    if (this.partial) {
      await this.streamEvent(
        {
          type: "message_start",
          message: {
            model: this.model,
            id,
            type: "message",
            role: "assistant",
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { ...usage, output_tokens: 1 },
          },
        },
        parent,
        id,
      );
    }
    for (const [index, block] of blocks.entries()) {
      if (this.partial) await this.blockStream(index, block, parent, deltaDelayMs, chunks, id);
      await this.line({
        type: "assistant",
        message: {
          id,
          type: "message",
          role: "assistant",
          model: this.model,
          content: [block],
          stop_reason: stopReason,
          stop_sequence: null,
          usage,
          context_management: null,
        },
        ...envelope,
        uuid: randomUUID(),
      });
      if (block.type === "text" && parent === null) this.lastText = block.text;
    }
    if (this.partial) {
      await this.streamEvent(
        {
          type: "message_delta",
          delta: { stop_reason: stopReason ?? "end_turn", stop_sequence: null },
          usage: { output_tokens: outputTokens },
          context_management: { applied_edits: [] },
        },
        parent,
        id,
      );
      await this.streamEvent({ type: "message_stop" }, parent, id);
    }
    return id;
  }

  /**
   * `messageId`: the real CLI names the API message on every stream event (`api_message_id`), so a
   * reader that starts after the message_start (a server following a run again) still knows it.
   */
  async streamEvent(event, parent, messageId) {
    await this.line({
      type: "stream_event",
      event,
      session_id: this.sessionId,
      parent_tool_use_id: parent,
      uuid: randomUUID(),
      api_message_id: messageId,
    });
  }

  async blockStream(index, block, parent, delayMs, chunks, messageId) {
    const { start, deltas, end } = blockStreamEvents(index, block, chunks);
    await this.streamEvent(start, parent, messageId);
    for (const d of deltas) {
      if (delayMs > 0) await sleep(delayMs);
      await this.streamEvent(d, parent, messageId);
    }
    for (const e of end) await this.streamEvent(e, parent, messageId);
  }

  /** A `user` line carrying tool results (or a subagent's prompt). */
  async user(content, { parent = null, toolUseResult } = {}) {
    await this.ensureInit();
    const line = {
      type: "user",
      message: { role: "user", content },
      parent_tool_use_id: parent,
      session_id: this.sessionId,
      uuid: randomUUID(),
    };
    if (toolUseResult !== undefined) line.tool_use_result = toolUseResult;
    await this.line(line);
  }

  async toolResult(id, content, { isError = false, parent = null, toolUseResult } = {}) {
    const block = { tool_use_id: id, type: "tool_result", content };
    if (isError) block.is_error = true;
    await this.user([block], {
      parent,
      toolUseResult: toolUseResult ?? (isError ? `Error: ${content}` : undefined),
    });
  }

  async system(subtype, fields) {
    await this.ensureInit();
    await this.line({
      type: "system",
      subtype,
      ...fields,
      session_id: this.sessionId,
      uuid: randomUUID(),
    });
  }

  denied(toolName, id, input) {
    this.denials.push({ tool_name: toolName, tool_use_id: id, tool_input: input });
  }

  /** The message the CLI makes up when an API call fails for good (bad key, billing, ...). */
  async syntheticError(error, text, status) {
    await this.ensureInit();
    await this.line(syntheticErrorLine({ sessionId: this.sessionId, error, text, status }));
  }

  /** What this process has cost (not counting what a resumed session had cost before). */
  processCostUsd() {
    return this.fixedCostUsd ?? costOf(this.usage);
  }

  /** The session's totals so far, restored ones included: saved with the session. */
  sessionSpent() {
    const r = this.restored.totals;
    return {
      costUsd: Number((this.restored.costUsd + this.processCostUsd()).toFixed(9)),
      totals: {
        input: r.input + this.usage.input,
        output: r.output + this.usage.output,
        cacheCreation: r.cacheCreation + this.usage.cacheCreation,
        cacheRead: r.cacheRead + this.usage.cacheRead,
      },
    };
  }

  /** The final line; for `text` / `json` output the only thing printed. */
  async result({
    zeroUsage = false,
    subtype = "success",
    errors = [],
    resultText,
    isError: forcedError,
    terminalReason,
    apiErrorStatus,
  } = {}) {
    if (this.finished) return;
    this.finished = true;
    // The result is the turn's last line: nothing may stay behind in the buffer after it.
    this.buffering = false;
    await this.flush();
    await this.ensureInit();
    const withResult = subtype === "success";
    const line = resultLine({
      model: this.model,
      sessionId: this.sessionId,
      turns: this.turns,
      // Like the real CLI: `usage` is this process's (zeros after a budget stop), `modelUsage`
      // and total_cost_usd the session's, restored on --resume.
      totals: zeroUsage ? { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 } : this.usage,
      sessionTotals: this.sessionSpent().totals,
      costUsd: this.sessionSpent().costUsd,
      denials: this.denials,
      durationMs: Date.now() - this.started,
      subtype,
      isError: forcedError ?? subtype !== "success",
      errors,
      resultText: resultText ?? this.lastText,
      terminalReason,
      apiErrorStatus,
    });
    if (this.streaming) await this.line(line);
    else if (this.opts.outputFormat === "json") await writeOut(`${JSON.stringify(line)}\n`);
    else await writeOut(withResult ? `${line.result}\n` : `Error: ${subtype}\n`);
  }
}
