// What happens when the fake model calls a tool: availability (--tools), permission (mode,
// --allowedTools) and a small, real effect inside the working folder.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";

const READ_ONLY = new Set([
  "Read",
  "Glob",
  "Grep",
  "Task",
  "TodoWrite",
  "WebSearch",
  "BashOutput",
  "KillShell",
  "ExitPlanMode",
  "Skill",
  "SlashCommand",
]);
const EDITS = new Set(["Edit", "Write", "NotebookEdit", "MultiEdit"]);

/** @returns {{ content: string, isError: boolean, denied: boolean, toolUseResult?: unknown }} */
export function callTool(ctx, name, input, { granted = false } = {}) {
  if (!ctx.tools.includes(name)) {
    return {
      // The wording of Claude Code 2.1 (backend/src/stream/fixtures/real/chat-denied.ndjson).
      content: `<tool_use_error>Error: No such tool available: ${name}. ${name} is disabled for this session, in subagents as well as here.</tool_use_error>`,
      isError: true,
      denied: false,
    };
  }
  if (!granted && !permitted(ctx.opts, name)) {
    const target =
      typeof input.file_path === "string" ? `write to ${input.file_path}` : `use ${name}`;
    return {
      content: `Claude requested permissions to ${target}, but you haven't granted it yet.`,
      isError: true,
      denied: true,
    };
  }
  try {
    return { ...run(ctx, name, input, granted), denied: false };
  } catch (err) {
    return {
      content: `<tool_use_error>${err.message}</tool_use_error>`,
      isError: true,
      denied: false,
    };
  }
}

export function permitted(opts, name) {
  if (opts.permissionMode === "bypassPermissions") return true;
  if (opts.allowedTools.some((t) => t === name || t.startsWith(`${name}(`))) return true;
  if (READ_ONLY.has(name)) return true;
  return EDITS.has(name) && opts.permissionMode === "acceptEdits";
}

function inside(ctx, path) {
  const abs = isAbsolute(path) ? path : resolve(ctx.cwd, path);
  const rel = relative(ctx.cwd, abs);
  if (rel.startsWith("..") || isAbsolute(rel))
    throw new Error(`fake-claude only touches files inside ${ctx.cwd}`);
  return abs;
}

function run(ctx, name, input, granted) {
  switch (name) {
    case "Read": {
      const file = inside(ctx, String(input.file_path ?? "README.md"));
      if (!existsSync(file))
        return { content: "<tool_use_error>File does not exist.</tool_use_error>", isError: true };
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n").slice(0, 2000);
      if (lines.at(-1) === "") lines.pop();
      const numbered = lines.map((l, i) => `${String(i + 1).padStart(6)}→${l}`).join("\n");
      return {
        content: numbered,
        isError: false,
        toolUseResult: {
          type: "text",
          file: {
            filePath: file,
            content: text,
            numLines: lines.length,
            startLine: 1,
            totalLines: lines.length,
          },
        },
      };
    }
    case "Write": {
      const file = inside(ctx, String(input.file_path));
      const existed = existsSync(file);
      writeFileSync(file, String(input.content ?? ""));
      return {
        content: existed
          ? `The file ${file} has been updated.`
          : `File created successfully at: ${file}`,
        isError: false,
        toolUseResult: {
          type: existed ? "update" : "create",
          filePath: file,
          content: String(input.content ?? ""),
        },
      };
    }
    case "Glob": {
      const files = listFiles(ctx.cwd, 100);
      return {
        content: files.length ? files.join("\n") : "No files found",
        isError: false,
        toolUseResult: {
          filenames: files,
          durationMs: 3,
          numFiles: files.length,
          truncated: false,
        },
      };
    }
    case "Grep": {
      const needle = String(input.pattern ?? "");
      const hits = listFiles(ctx.cwd, 1000).filter((f) => {
        try {
          return readFileSync(f, "utf8").includes(needle);
        } catch {
          return false;
        }
      });
      return {
        content: hits.length ? `Found ${hits.length} files\n${hits.join("\n")}` : "No files found",
        isError: false,
      };
    }
    case "Bash": {
      // Processes are the `child` scenario's job; a fake Bash runs only a command a person (or a
      // kept rule) allowed through the live session's permission prompt, like the real CLI would.
      if (!granted) return { content: "(fake-claude does not run commands)", isError: false };
      const r = spawnSync("/bin/sh", ["-c", String(input.command ?? "")], {
        cwd: ctx.cwd,
        encoding: "utf8",
        timeout: 30_000,
      });
      return { content: `${r.stdout ?? ""}${r.stderr ?? ""}`.trim(), isError: r.status !== 0 };
    }
    default:
      return { content: "ok", isError: false };
  }
}

function listFiles(root, max) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (out.length >= max) return;
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  try {
    walk(root);
  } catch {
    // An unreadable folder just yields fewer files.
  }
  return out;
}
