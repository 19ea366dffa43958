// `--input-format stream-json`: a live session, as Claude Code 2.1.330 runs one. Each stdin `user`
// line is a turn (its @fake directives run, then a result, a new `init` first); `control_response`
// lines answer our `can_use_tool` requests (`--permission-prompt-tool stdio`); an `interrupt`
// control request ends the turn at hand. Exits once stdin has closed and every turn is done.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeOut } from "./output.mjs";

/** Text of a stream-json `user` line, or null for any other line. */
export function userText(msg) {
  if (msg?.type !== "user") return null;
  const content = msg?.message?.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  return content
    .filter((b) => b && b.type === "text" && typeof b.text === "string")
    .map((b) => b.text)
    .join("\n");
}

export class Interrupted extends Error {}

/**
 * The control side of the session: our requests to the host (can_use_tool) and its answers, its
 * requests to us (interrupt).
 */
export class Control {
  constructor({ stdio, cwd, state }) {
    this.stdio = stdio;
    this.cwd = cwd;
    this.state = state;
    this.pending = new Map();
    this.onInterrupt = () => {};
  }

  /** Asks the host whether a tool may run; resolves with its `response` ({behavior, ...}). */
  async canUseTool(name, input, { toolUseId, suggestions = [], description } = {}) {
    if (!this.stdio) return { behavior: "deny", message: "no permission prompt tool" };
    const requestId = randomUUID();
    const answer = new Promise((resolve, reject) =>
      this.pending.set(requestId, { resolve, reject }),
    );
    const request = {
      subtype: "can_use_tool",
      tool_name: name,
      display_name: name,
      input,
      ...(description ? { description } : {}),
      permission_suggestions: suggestions,
      tool_use_id: toolUseId,
      ...(name === "AskUserQuestion" ? { requires_user_interaction: true } : {}),
    };
    await writeOut(
      `${JSON.stringify({ type: "control_request", request_id: requestId, request })}\n`,
    );
    return answer;
  }

  /** A control line from stdin. */
  async receive(msg) {
    if (msg.type === "control_response") {
      const r = msg.response ?? {};
      const p = this.pending.get(r.request_id);
      if (!p) return;
      this.pending.delete(r.request_id);
      if (r.subtype === "error")
        p.resolve({ behavior: "deny", message: String(r.error ?? "error") });
      else p.resolve(r.response ?? {});
      return;
    }
    if (msg.type === "control_request") {
      const subtype = msg.request?.subtype;
      // ignore-sigint stands for a CLI that is stuck: it does not answer an interrupt either.
      if (subtype === "interrupt" && this.state?.ignoreSigint) return;
      const ok = subtype === "interrupt";
      await writeOut(
        `${JSON.stringify({
          type: "control_response",
          response: ok
            ? { subtype: "success", request_id: msg.request_id, response: {} }
            : { subtype: "error", request_id: msg.request_id, error: `Unsupported: ${subtype}` },
        })}\n`,
      );
      if (ok) {
        for (const p of this.pending.values()) p.reject(new Interrupted());
        this.pending.clear();
        this.onInterrupt();
      }
    }
  }

  /** `updatedPermissions` of an answer: rules kept in .claude/settings.local.json, as the CLI does. */
  keep(updatedPermissions) {
    const rules = [];
    for (const u of updatedPermissions ?? []) {
      if (u?.type !== "addRules" || u.behavior !== "allow" || !Array.isArray(u.rules)) continue;
      for (const r of u.rules)
        rules.push(r.ruleContent ? `${r.toolName}(${r.ruleContent})` : r.toolName);
    }
    if (rules.length === 0) return;
    const dir = join(this.cwd, ".claude");
    const file = join(dir, "settings.local.json");
    const settings = readSettings(file);
    settings.permissions ??= {};
    settings.permissions.allow = [...new Set([...(settings.permissions.allow ?? []), ...rules])];
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  }

  /** Whether .claude/settings.local.json allows this call (`Bash(npm init *)`, `Bash`). */
  allows(name, input) {
    const allow = readSettings(join(this.cwd, ".claude", "settings.local.json")).permissions?.allow;
    if (!Array.isArray(allow)) return false;
    const command = typeof input.command === "string" ? input.command : "";
    return allow.some((rule) => {
      if (rule === name) return true;
      const m = /^([^(]+)\((.*)\)$/.exec(String(rule));
      if (!m || m[1] !== name) return false;
      const pattern = m[2];
      return pattern.endsWith(" *")
        ? command === pattern.slice(0, -2) || command.startsWith(pattern.slice(0, -1))
        : command === pattern;
    });
  }
}

function readSettings(file) {
  if (!existsSync(file)) return {};
  try {
    const s = JSON.parse(readFileSync(file, "utf8"));
    return s && typeof s === "object" ? s : {};
  } catch {
    return {};
  }
}

/** The rule the CLI suggests for a Bash command: its first word(s) and a `*`. */
export function suggestionsFor(name, input) {
  if (name !== "Bash" || typeof input.command !== "string") return [];
  const words = input.command.trim().split(/\s+/).slice(0, 2);
  return [
    {
      type: "addRules",
      rules: [{ toolName: "Bash", ruleContent: `${words.join(" ")} *` }],
      behavior: "allow",
      destination: "localSettings",
    },
  ];
}
