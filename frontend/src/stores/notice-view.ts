// Where a CLI notice belongs: a line in the chat, the run's transient activity label, or nowhere.
import { z } from "zod";
import type { TranscriptEvent } from "@catalyst/shared";

type NoticeEvent = Extract<TranscriptEvent, { type: "notice" }>;

export type NoticeView =
  /** `label`, when there: also the run's activity label (`null` clears it). */
  | { show: "line"; label?: string | null }
  /** Replaces the run's activity label; `null` clears it. */
  | { show: "activity"; label: string | null }
  | { show: "none" };

// `data` is the raw CLI line: read only what is needed, and fall back when it is not there.
const statusData = z.looseObject({ status: z.string().nullable().optional() });
const taskData = z.looseObject({
  description: z.string().optional(),
  status: z.string().optional(),
});
const hookData = z.looseObject({
  hook_name: z.string().optional(),
  hook_event: z.string().optional(),
});

export function noticeView(ev: NoticeEvent): NoticeView {
  switch (ev.kind) {
    case "status": {
      // Sent before every model request ("requesting") and around compaction; null means idle.
      const d = statusData.safeParse(ev.data);
      const status = d.success ? d.data.status : ev.message.replace(/^Status:\s*/, "");
      if (!status || status === "ready") return { show: "activity", label: null };
      const words = status.replace(/_/g, " ");
      return { show: "activity", label: `${words[0]?.toUpperCase() ?? ""}${words.slice(1)}…` };
    }
    case "rate_limit":
      // "allowed" comes with nearly every request; only a warning or a refusal is news.
      return ev.level === "info" ? { show: "none" } : { show: "line" };
    case "hook_started":
    case "hook_progress": {
      const d = hookData.safeParse(ev.data);
      const name = d.success ? (d.data.hook_name ?? d.data.hook_event) : undefined;
      return { show: "activity", label: `Running hook${name ? ` ${name}` : ""}…` };
    }
    case "hook_response":
      // A hook that did its job is not worth a line; a failing one is.
      return ev.level === "info" ? { show: "activity", label: null } : { show: "line" };
    // Subagents: their work is already grouped under the Agent/Task tool card that started them,
    // so their bookkeeping lines only drive the activity label; a failed one is still a line.
    case "task_started": {
      const d = taskData.safeParse(ev.data);
      const what = d.success ? d.data.description : undefined;
      return { show: "activity", label: `Subagent${what ? `: ${what}` : ""}…` };
    }
    case "task_updated":
      return { show: "none" };
    case "task_notification": {
      const d = taskData.safeParse(ev.data);
      const status = d.success ? d.data.status : undefined;
      return status === "completed" ? { show: "activity", label: null } : { show: "line" };
    }
    // The server lost its link to the machine: the run goes on there, and the status line under
    // the chat (a live region) says so until the link is back, so nobody takes the quiet for
    // Claude thinking, and a screen reader hears it.
    case "link_lost":
      return { show: "line", label: "Connection to the machine lost, reconnecting…" };
    case "link_restored":
      return { show: "line", label: null };
    default:
      return { show: "line" };
  }
}
