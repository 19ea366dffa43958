// An idea's transcript as view items: folds TranscriptEntries (deduped by seq) into what the chat shows.
import { batch, createSignal } from "solid-js";
import type { TranscriptEntry, TranscriptEvent } from "@catalyst/shared";
import { noticeView } from "./notice-view.js";
import { resultText, saysPermissionDenied } from "./tool-view.js";
import { Container } from "./transcript-container.js";
import type { Item, StreamedItem } from "./transcript-items.js";
import { createApprovalRegistry } from "./transcript-approvals.js";
import { createRunTracker, errorResultText } from "./transcript-runs.js";
import { createToolRegistry } from "./transcript-tools.js";
import { formatCost } from "../util/format.js";

export type {
  ActiveRunView,
  ApprovalItem,
  FooterItem,
  Item,
  StreamedItem,
  ToolItem,
  ToolResultView,
} from "./transcript-items.js";

export type TranscriptStore = ReturnType<typeof createTranscriptStore>;

const INTERRUPTED = "[Request interrupted by user";

export function createTranscriptStore() {
  const root = new Container();
  const tools = createToolRegistry(root);
  const runs = createRunTracker();
  const approvals = createApprovalRegistry();
  const { activeRun, setActivity } = runs;
  const [eventCount, setEventCount] = createSignal(0);
  /** The working folder of the current run (from its init): tool paths are shown relative to it. */
  let cwd: string | null = null;
  let lastSeq = 0;
  let localKey = 0;

  function streamed(c: Container, seq: number, ev: TranscriptEvent & { messageId: string | null }) {
    const kind = ev.type === "text" || ev.type === "text_delta" ? "text" : "thinking";
    const [text, set] = createSignal("");
    const item: StreamedItem = { kind, key: `s${seq}`, messageId: ev.messageId, text };
    c.push(item);
    return { item, set };
  }

  function applyOne(entry: TranscriptEntry) {
    const { seq, event: ev } = entry;
    const c = tools.containerFor(ev.parentToolUseId);
    switch (ev.type) {
      case "run_started":
        tools.closeStreams();
        runs.start(ev);
        root.push({ kind: "user", key: `u${seq}`, mode: ev.mode, text: ev.prompt });
        return;
      case "cancel_requested":
        runs.cancelRequested(ev);
        return;
      case "run_finished":
        tools.closeStreams();
        tools.stopPending();
        approvals.expirePending();
        root.push(runs.finish(seq, ev));
        return;
      case "text_delta":
      case "thinking_delta": {
        setActivity(null);
        const kind = ev.type === "text_delta" ? "text" : "thinking";
        const deltaKey = `${kind}|${ev.messageId}|${ev.index}`;
        let open =
          c.open.find((o) => o.deltaKey === deltaKey) ??
          // A run followed again after a server restart goes on mid-message, without the id its
          // message_start gave: its deltas continue the open block of the same kind and index.
          (ev.messageId === null
            ? c.open.findLast((o) => o.item.kind === kind && o.index === ev.index)
            : undefined);
        if (!open) {
          open = { ...streamed(c, seq, ev), deltaKey, index: ev.index };
          c.open.push(open);
        }
        open.set((t) => t + ev.text);
        return;
      }
      case "text":
      case "thinking": {
        setActivity(null);
        const kind = ev.type;
        // The final block replaces what its deltas streamed (same message, first still open).
        const i = c.open.findIndex(
          (o) => o.item.kind === kind && o.item.messageId === ev.messageId,
        );
        if (i >= 0) {
          const open = c.open[i];
          c.open.splice(i, 1);
          open?.set(ev.text);
        } else {
          streamed(c, seq, ev).set(ev.text);
        }
        return;
      }
      case "tool_use":
        setActivity(null);
        tools.add(c, seq, ev, cwd);
        return;
      case "tool_result": {
        const view = { text: resultText(ev.content), isError: ev.isError };
        if (!tools.resolve(ev.toolUseId, view) && ev.isError) notice(c, seq, "error", view.text);
        else if (ev.isError && saysPermissionDenied(view.text) && tools.deny(ev.toolUseId)) {
          runs.deniedCall(ev.toolUseId);
        }
        return;
      }
      case "permission_denied":
        runs.deniedCall(ev.toolUseId ?? `${ev.toolName}@${seq}`);
        if (!tools.deny(ev.toolUseId)) {
          notice(c, seq, "warning", `Permission denied for ${ev.toolName}.`);
        }
        return;
      case "result":
        runs.result(entry.runId, ev);
        for (const d of ev.permissionDenials) {
          // The decoder sends each denial as its own event too; one with no id is counted there.
          if (d.toolUseId) runs.deniedCall(d.toolUseId);
          tools.deny(d.toolUseId);
        }
        if (ev.subtype === "error_max_budget_usd") {
          const message = budgetStopText(ev.errors);
          c.push({ kind: "budget_stop", key: `b${seq}`, message });
          runs.errorShown(message);
          // The server's run message repeats the CLI's words: the line above says it.
          for (const e of ev.errors) runs.errorShown(e);
        } else if (ev.isError) {
          const text = errorResultText(ev);
          if (text && !runs.wasErrorShown(text)) notice(c, seq, "error", text);
        }
        return;
      case "notice": {
        // The CLI's echo of a cancel the person asked for: the footer says "cancelled" already.
        if (ev.kind === "user_message" && runs.cancelling() && ev.message.startsWith(INTERRUPTED)) {
          return;
        }
        const view = noticeView(ev);
        if (view.show === "activity") setActivity(activeRun() ? view.label : null);
        if (view.show !== "line") return;
        if (view.label !== undefined) setActivity(activeRun() ? view.label : null);
        // A retry that follows a retry updates its line instead of adding one per attempt.
        const replace =
          ev.kind === "api_retry" && c.lastRetry !== null && c.arr.at(-1) === c.lastRetry;
        if (replace) {
          const item: Item = {
            kind: "notice",
            key: `n${seq}`,
            level: ev.level,
            message: ev.message,
          };
          c.replaceLast(item);
          c.lastRetry = item;
          return;
        }
        notice(c, seq, ev.level, ev.message);
        if (ev.kind === "api_retry") c.lastRetry = c.arr.at(-1) ?? null;
        return;
      }
      case "stream_error":
        notice(c, seq, "warning", ev.message);
        return;
      case "stderr":
      case "invalid_line":
        if (ev.type === "stderr") runs.outputShown(ev.text);
        output(c, seq, ev.text);
        return;
      case "tool_input_delta":
        setActivity(null);
        return;
      case "init":
        // A subagent's init names the same folder; the main one is what the cards are relative to.
        if (!ev.parentToolUseId) cwd = ev.cwd;
        return;
      case "permission_request":
        setActivity(null);
        approvals.add(root, seq, ev, cwd);
        tools.setAwaiting(ev.toolUseId, true);
        return;
      case "permission_answered": {
        const toolUseId = approvals.answered(ev)?.toolUseId ?? null;
        tools.setAwaiting(toolUseId, false);
        // A denied call is amber from the answer on, and counts against "completed".
        if (ev.decision === "deny" && toolUseId && tools.deny(toolUseId))
          runs.deniedCall(toolUseId);
        return;
      }
      case "user_message_queued":
        // The person wrote into the running session: their message, marked as such.
        root.push({
          kind: "user",
          key: `u${seq}`,
          mode: runs.activeRun()?.mode ?? "chat",
          text: ev.message,
          queued: true,
        });
        return;
      case "control_request":
      case "control_response":
        // The protocol's own traffic: the server answers what it does not serve; nothing to show.
        return;
      case "status_changed":
      case "unknown":
        // Nothing to show: the idea list shows status; unknown lines are kept on the server.
        return;
      default: {
        // A new event type is a compile error here until the page decides how to show it.
        const unhandled: never = ev;
        return unhandled;
      }
    }
  }

  function notice(c: Container, seq: number, level: "info" | "warning" | "error", message: string) {
    c.push({ kind: "notice", key: `n${seq}`, level, message });
    if (level === "error") runs.errorShown(message);
  }

  function output(c: Container, seq: number, line: string) {
    if (c.lastOutput) return c.lastOutput.push(line);
    const [lines, setLines] = createSignal<string[]>([line]);
    const item: Item = { kind: "output", key: `o${seq}`, lines };
    c.push(item);
    c.lastOutput = { item, push: (l) => setLines((ls) => [...ls, l]) };
  }

  return {
    items: root.items,
    activeRun,
    /** What the run is doing now; waiting for the person says so, whatever else it did. */
    activity: () => (approvals.pending().length > 0 ? "Waiting for your answer" : runs.activity()),
    /** Requests (approvals, questions) still waiting for a person, oldest first. */
    pending: approvals.pending,
    /** How the last run ended and what it was asked (for Retry). */
    lastEnded: runs.lastEnded,
    /** How many entries were applied: lets the view know something new arrived. */
    eventCount,
    lastSeq: () => lastSeq,
    /** Applies entries in order; ones already seen (seq <= last) are skipped. */
    apply(entries: readonly TranscriptEntry[]) {
      let applied = 0;
      batch(() => {
        for (const e of entries) {
          if (e.seq <= lastSeq) continue;
          lastSeq = e.seq;
          applied++;
          applyOne(e);
        }
        tools.flush();
        if (applied > 0) setEventCount((n) => n + applied);
      });
    },
    /** A problem the server reported outside the transcript (busy, too many runs...). */
    addError(message: string) {
      batch(() => {
        root.push({ kind: "error", key: `e-local-${++localKey}`, message });
        root.flush();
      });
    },
    /** The server refused a run because the idea's budget is used up: the chat offers to raise it. */
    addBudgetRefusal(message: string) {
      batch(() => {
        root.push({ kind: "budget_refused", key: `e-local-${++localKey}`, message });
        root.flush();
      });
    },
  };
}

/** "Reached maximum budget ($0.15)" -> a sentence saying which cap stopped the run. */
export function budgetStopText(errors: readonly string[]): string {
  const cap = errors.map((e) => /\$\s?([0-9]+(?:\.[0-9]+)?)/.exec(e)?.[1]).find(Boolean);
  return (
    `Claude stopped: this run reached its spending cap${cap ? ` of ${formatCost(Number(cap))}` : ""}, which is ` +
    "what was left under this idea's budget and the server's limits."
  );
}
