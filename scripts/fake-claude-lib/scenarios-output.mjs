// Scenarios of awkward output (huge lines, split characters, markup, floods, non-JSON), for the
// decoder's and the page's robustness.
import { resolve } from "node:path";
import { int, sleep } from "./scenario-util.mjs";
import { toolUseId, writeOut } from "./output.mjs";

export const UNICODE_SAMPLE =
  "Unicode: héllo wörld · 日本語のテキスト · 中文字符 · 한국어 · emoji 👩🏽‍💻🧑‍🤝‍🧑🇫🇷✨ · עברית العربية · e\u0301 a\u0308 · 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 · \u{1F600}";
export const HOSTILE_SAMPLE =
  'Hostile: <img src=x onerror=alert(1)> <script>alert("xss")</script> [link](javascript:alert(1)) </div><b>bold?</b> &amp; &lt;';

export const outputScenarios = {
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
};

// Deterministic text of exactly `bytes` UTF-8 bytes, multi-byte characters and newlines included.
export function filler(bytes) {
  const unit = "fake line of text with ünïcödé and 日本 and 👍\n";
  const unitBytes = Buffer.byteLength(unit);
  const whole = Math.floor(bytes / unitBytes);
  return unit.repeat(whole) + "x".repeat(bytes - whole * unitBytes);
}
