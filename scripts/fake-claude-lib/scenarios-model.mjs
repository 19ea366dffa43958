// Scenarios of a normal conversation: a greeting, a tool call, thinking, a subagent, the prompt echoed.
import { createHash, randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { int, useTool } from "./scenario-util.mjs";
import { toolUseId } from "./output.mjs";

/** What a Write to a .ts file writes: a few lines of code, so the page has something to highlight. */
const SAMPLE_TS = [
  "// Renames photos by the date they were taken.",
  'import { readdir } from "node:fs/promises";',
  "",
  "export async function photos(dir: string): Promise<string[]> {",
  "  const names = await readdir(dir);",
  '  return names.filter((n) => n.endsWith(".jpg"));',
  "}",
  "",
].join("\n");

export const modelScenarios = {
  /**
   * A text reply, then this process's usage set to exact figures (tests compare hand-computed
   * sums): `input output cache-read cache-write` tokens (default what the reply counted), and
   * `usd`, the process's cost (default what those tokens cost).
   */
  async cost(ctx, p) {
    await ctx.out.message([{ type: "text", text: p.text ?? "Spent as asked." }], {
      stopReason: "end_turn",
    });
    const u = ctx.out.usage;
    u.input = int(p.input, u.input);
    u.output = int(p.output, u.output);
    u.cacheRead = int(p["cache-read"], u.cacheRead);
    u.cacheCreation = int(p["cache-write"], u.cacheCreation);
    if (p.usd !== undefined) ctx.out.fixedCostUsd = Number(p.usd);
  },

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
          ? {
              file_path: path,
              content: p.content ?? (path.endsWith(".ts") ? SAMPLE_TS : "written by fake-claude\n"),
            }
          : name === "Edit"
            ? {
                file_path: path,
                old_string: p.old ?? 'const greeting = "hello";\n',
                new_string: p.new ?? 'const greeting = "hello, world";\nconsole.log(greeting);\n',
              }
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

  async question(ctx, p) {
    // AskUserQuestion as CLI 2.1.330 sends it: the answer comes back in updatedInput.answers.
    const question = p.question ?? "Which database should the app use?";
    const labels = (p.options ?? "SQLite|Postgres").split("|");
    const input = {
      questions: [
        {
          question,
          header: p.header ?? "Database",
          options: labels.map((label) => ({ label, description: `Use ${label}` })),
          multiSelect: p.multi === "1",
        },
      ],
    };
    const id = toolUseId();
    await ctx.out.message([{ type: "tool_use", id, name: "AskUserQuestion", input }], {
      stopReason: "tool_use",
    });
    let answer;
    if (!ctx.tools.includes("AskUserQuestion") || !ctx.control?.stdio) {
      answer = { behavior: "deny", message: "No such tool available: AskUserQuestion" };
    } else {
      answer = await ctx.control.canUseTool("AskUserQuestion", input, { toolUseId: id });
    }
    const chosen = answer.updatedInput?.answers?.[question];
    if (answer.behavior !== "allow" || typeof chosen !== "string") {
      await ctx.out.toolResult(id, String(answer.message ?? "The user declined to answer."), {
        isError: true,
      });
      await ctx.out.message([{ type: "text", text: "No answer, so I will pick myself." }], {
        stopReason: "end_turn",
      });
      return;
    }
    await ctx.out.toolResult(id, `User has answered your questions: "${question}"="${chosen}".`);
    await ctx.out.message([{ type: "text", text: `You chose: ${chosen}` }], {
      stopReason: "end_turn",
    });
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
      // Like the real CLI, never a key itself: secrets show as a hash tests can compare.
      env: Object.fromEntries(
        Object.entries(process.env)
          .filter(([k]) => /^(ANTHROPIC_|CLAUDE_|FAKE_CLAUDE|APP_KEY$|SSH_KEY_PASSPHRASE$)/.test(k))
          .map(([k, v]) => [k, /KEY|TOKEN|PASSPHRASE|SECRET/.test(k) ? secretHash(v) : v]),
      ),
      pid: process.pid,
    };
    await ctx.out.message([{ type: "text", text: JSON.stringify(report) }], {
      stopReason: "end_turn",
    });
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
};

/** How echo-prompt shows a secret's value: `sha256:` and the first 16 hex digits of its hash. */
export function secretHash(value) {
  return `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 16)}`;
}
