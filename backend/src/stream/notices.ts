// System and rate-limit lines -> `notice` events with a sentence a person understands.
import type { ClaudeEvent } from "@catalyst/shared";
import type { RateLimitLine, SystemLine } from "@catalyst/shared";

type Notice = Extract<ClaudeEvent, { type: "notice" }>;
type Level = Notice["level"];

function str(v: unknown): string | null {
  return typeof v === "string" && v.length > 0 ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}
function firstLine(text: string, max = 300): string {
  const line = text.trim().split("\n", 1)[0] ?? "";
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function describeSystem(line: SystemLine): { level: Level; message: string } {
  const subtype = line.subtype ?? "system";
  switch (subtype) {
    case "api_retry": {
      const status = num(line.error_status);
      const error = str(line.error);
      const delay = num(line.retry_delay_ms);
      const attempt = num(line.attempt);
      const max = num(line.max_retries);
      let message = "API request failed";
      if (status !== null) message += ` (HTTP ${status})`;
      // "unknown" is the CLI saying it has no category for the failure: not worth showing.
      if (error && error !== "unknown") message += `: ${error}`;
      message += delay !== null ? `; retrying in ${Math.ceil(delay / 1000)} s` : "; retrying";
      if (attempt !== null) message += ` (attempt ${attempt}${max !== null ? ` of ${max}` : ""})`;
      return { level: "warning", message };
    }
    case "compact_boundary": {
      const meta = isRecord(line.compact_metadata) ? line.compact_metadata : {};
      const trigger = str(meta.trigger);
      const pre = num(meta.pre_tokens);
      const details = [trigger, pre !== null ? `${pre} tokens before` : null].filter(Boolean);
      return {
        level: "info",
        message: `Conversation compacted${details.length ? ` (${details.join(", ")})` : ""}`,
      };
    }
    case "status": {
      const status = str(line.status);
      return { level: "info", message: status ? `Status: ${status}` : "Status: ready" };
    }
    case "hook_started":
    case "hook_progress":
    case "hook_response": {
      const name = str(line.hook_name) ?? str(line.hook_event) ?? "hook";
      const exit = num(line.exit_code);
      const outcome = str(line.outcome);
      const failed = outcome === "error" || (exit !== null && exit !== 0);
      if (subtype === "hook_started") return { level: "info", message: `Hook ${name} started` };
      const output = str(line.stderr) ?? str(line.stdout) ?? str(line.output);
      const verb =
        subtype === "hook_progress"
          ? "running"
          : (outcome ?? (failed ? `failed (exit ${exit})` : "finished"));
      return {
        level: failed ? "warning" : "info",
        message: `Hook ${name} ${verb}${output ? `: ${firstLine(output)}` : ""}`,
      };
    }
    default: {
      const text =
        str(line.message) ??
        str(line.content) ??
        str(line.summary) ??
        str(line.description) ??
        str(line.status);
      const level: Level = /error|fail/i.test(subtype) ? "error" : "info";
      return {
        level,
        message: text ? `${subtype}: ${firstLine(text)}` : `System: ${subtype.replace(/_/g, " ")}`,
      };
    }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function systemNotice(line: SystemLine): Notice {
  const { level, message } = describeSystem(line);
  return {
    type: "notice",
    parentToolUseId: line.parent_tool_use_id ?? null,
    level,
    kind: line.subtype ?? "system",
    message,
    data: line,
  };
}

/** The CLI's rate-limit statuses in words; an unknown status is shown as it came. */
const RATE_LIMIT_WORDS: Record<string, string> = {
  allowed: "allowed",
  allowed_warning: "nearly used up",
  rejected: "reached, requests are refused",
};

function formatUtcMinute(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export function rateLimitNotice(line: RateLimitLine): Notice {
  const info = line.rate_limit_info ?? {};
  const status = str(info.status) ?? "unknown";
  const which = str(info.rateLimitType);
  const resets = num(info.resetsAt);
  const level: Level = status === "rejected" ? "error" : status === "allowed" ? "info" : "warning";
  let message = `Rate limit${which ? ` (${which.replace(/_/g, " ")})` : ""}: ${RATE_LIMIT_WORDS[status] ?? status.replace(/_/g, " ")}`;
  // resetsAt is in seconds since the epoch; minutes are precise enough for a person.
  if (resets !== null) message += `, resets ${formatUtcMinute(resets * 1000)}`;
  return {
    type: "notice",
    parentToolUseId: line.parent_tool_use_id ?? null,
    level,
    kind: "rate_limit",
    message,
    data: line,
  };
}
