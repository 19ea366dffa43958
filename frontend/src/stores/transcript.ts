// An idea's transcript as view items: folds TranscriptEntries (deduped by seq) into what the chat shows.
import { batch, createSignal, type Accessor, type Setter } from "solid-js";
import type { RunMode, RunOutcome, TranscriptEntry, TranscriptEvent } from "@catalyst/shared";
import { noticeView } from "./notice-view.js";
import { keyArgument, resultText } from "./tool-view.js";

export type ToolResultView = { text: string; isError: boolean };

export type StreamedItem = {
  kind: "text" | "thinking";
  key: string;
  messageId: string | null;
  text: Accessor<string>;
};
export type ToolItem = {
  kind: "tool";
  key: string;
  id: string;
  name: string;
  summary: string;
  input: unknown;
  result: Accessor<ToolResultView | null>;
  denied: Accessor<boolean>;
  /** The run ended before a result came (cancelled, failed). */
  stopped: Accessor<boolean>;
  /** What a subagent started by this call did. */
  children: Accessor<Item[]>;
};
export type FooterItem = {
  kind: "footer";
  key: string;
  mode: RunMode;
  outcome: RunOutcome;
  durationMs: number;
  turns: number | null;
  costUsd: number | null;
  message: string | null;
  stderrTail: string[];
};
export type Item =
  | { kind: "user"; key: string; mode: RunMode; text: string }
  | StreamedItem
  | ToolItem
  | { kind: "notice"; key: string; level: "info" | "warning" | "error"; message: string }
  | { kind: "output"; key: string; lines: Accessor<string[]> }
  | FooterItem
  | { kind: "error"; key: string; message: string };

export type ActiveRun = { runId: string; mode: RunMode; cancelling: boolean };

type OpenStream = { item: StreamedItem; set: Setter<string>; deltaKey: string };

/** A list of items (the chat, or a subagent group) plus what is still streaming into it. */
class Container {
  readonly arr: Item[] = [];
  readonly open: OpenStream[] = [];
  lastOutput: { item: Item; push: (line: string) => void } | null = null;
  /** The retry notice a following retry replaces, while nothing came after it. */
  lastRetry: Item | null = null;
  private readonly sig = createSignal<Item[]>([]);
  dirty = false;
  get items(): Accessor<Item[]> {
    return this.sig[0];
  }
  push(item: Item) {
    this.arr.push(item);
    this.lastOutput = null;
    this.lastRetry = null;
    this.dirty = true;
  }
  replaceLast(item: Item) {
    this.arr[this.arr.length - 1] = item;
    this.dirty = true;
  }
  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    this.sig[1](this.arr.slice());
  }
}

type ToolState = {
  item: ToolItem;
  setResult: Setter<ToolResultView | null>;
  setDenied: Setter<boolean>;
  setStopped: Setter<boolean>;
  container: Container;
};

export type TranscriptStore = ReturnType<typeof createTranscriptStore>;

export function createTranscriptStore() {
  const root = new Container();
  const tools = new Map<string, ToolState>();
  /** Tool calls still waiting for their result. */
  const pendingTools = new Set<ToolState>();
  const containers: Container[] = [root];
  const pendingResult = new Map<
    string,
    { costUsd: number | null; turns: number | null; isError: boolean }
  >();
  /** CLI output lines the current run already showed: the footer's tail need not repeat them. */
  const shownOutput = new Set<string>();
  const [activeRun, setActiveRun] = createSignal<ActiveRun | null>(null);
  /** What the active run is doing right now ("Requesting…"), from transient CLI notices. */
  const [activity, setActivity] = createSignal<string | null>(null);
  /** First lines of the errors the current run already showed, so none is repeated. */
  const shownErrors = new Set<string>();
  const [eventCount, setEventCount] = createSignal(0);
  /** The working folder of the current run (from its init): tool paths are shown relative to it. */
  let cwd: string | null = null;
  let lastSeq = 0;
  let localKey = 0;

  const containerFor = (parent: string | null | undefined): Container =>
    (parent ? tools.get(parent)?.container : undefined) ?? root;

  function streamed(c: Container, seq: number, ev: TranscriptEvent & { messageId: string | null }) {
    const kind = ev.type === "text" || ev.type === "text_delta" ? "text" : "thinking";
    const [text, set] = createSignal("");
    const item: StreamedItem = { kind, key: `s${seq}`, messageId: ev.messageId, text };
    c.push(item);
    return { item, set };
  }

  function applyOne(entry: TranscriptEntry) {
    const { seq, event: ev } = entry;
    const c = containerFor(ev.parentToolUseId);
    switch (ev.type) {
      case "run_started":
        closeStreams();
        setActivity(null);
        shownErrors.clear();
        shownOutput.clear();
        setActiveRun({ runId: ev.runId, mode: ev.mode, cancelling: false });
        root.push({ kind: "user", key: `u${seq}`, mode: ev.mode, text: ev.prompt });
        return;
      case "cancel_requested": {
        const run = activeRun();
        if (run && run.runId === ev.runId) setActiveRun({ ...run, cancelling: true });
        return;
      }
      case "run_finished": {
        closeStreams();
        for (const tool of pendingTools) tool.setStopped(true);
        pendingTools.clear();
        const run = activeRun();
        const result = pendingResult.get(ev.runId);
        pendingResult.delete(ev.runId);
        if (run?.runId === ev.runId) setActiveRun(null);
        setActivity(null);
        // "Claude Code failed: <the error>" adds nothing when that error is already in the chat.
        const message = ev.message;
        const repeated = message !== null && [...shownErrors].some((e) => message.includes(e));
        shownErrors.clear();
        const stderrTail = ev.stderrTail.filter((l) => !shownOutput.has(l));
        shownOutput.clear();
        root.push({
          kind: "footer",
          key: `f${seq}`,
          mode: run?.mode ?? "chat",
          // The CLI can exit 0 after an error result (max turns, budget): that run did not complete.
          outcome: ev.outcome === "completed" && result?.isError ? "failed" : ev.outcome,
          durationMs: ev.durationMs,
          turns: result?.turns ?? null,
          costUsd: result?.costUsd ?? null,
          message: repeated ? null : message,
          stderrTail,
        });
        return;
      }
      case "text_delta":
      case "thinking_delta": {
        setActivity(null);
        const kind = ev.type === "text_delta" ? "text" : "thinking";
        const deltaKey = `${kind}|${ev.messageId}|${ev.index}`;
        let open = c.open.find((o) => o.deltaKey === deltaKey);
        if (!open) {
          open = { ...streamed(c, seq, ev), deltaKey };
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
      case "tool_use": {
        setActivity(null);
        const [result, setResult] = createSignal<ToolResultView | null>(null);
        const [denied, setDenied] = createSignal(false);
        const [stopped, setStopped] = createSignal(false);
        const group = new Container();
        containers.push(group);
        const item: ToolItem = {
          kind: "tool",
          key: `t${seq}`,
          id: ev.id,
          name: ev.name,
          summary: keyArgument(ev.input, cwd),
          input: ev.input,
          result,
          denied,
          stopped,
          children: group.items,
        };
        const state: ToolState = { item, setResult, setDenied, setStopped, container: group };
        tools.set(ev.id, state);
        pendingTools.add(state);
        c.push(item);
        return;
      }
      case "tool_result": {
        const tool = tools.get(ev.toolUseId);
        const view = { text: resultText(ev.content), isError: ev.isError };
        if (tool) {
          tool.setResult(view);
          pendingTools.delete(tool);
        } else if (ev.isError) notice(c, seq, "error", view.text);
        return;
      }
      case "permission_denied":
        denyTool(c, seq, ev.toolUseId, ev.toolName);
        return;
      case "result":
        pendingResult.set(entry.runId ?? activeRun()?.runId ?? "", {
          costUsd: ev.costUsd,
          turns: ev.numTurns,
          isError: ev.isError,
        });
        for (const d of ev.permissionDenials) {
          const t = d.toolUseId ? tools.get(d.toolUseId) : undefined;
          if (t) t.setDenied(true);
        }
        if (ev.isError) {
          // Model errors (500, bad key) come as text with subtype "success"; diagnostics are not for people.
          const errors = ev.errors.filter((e) => !e.startsWith("[ede_diagnostic]"));
          const text =
            errors.length > 0
              ? errors.join("\n")
              : ev.text || errorResultSentence(ev.subtype, ev.numTurns);
          if (text && !shownErrors.has(firstLine(text))) notice(c, seq, "error", text);
        }
        return;
      case "notice": {
        const view = noticeView(ev);
        if (view.show === "activity") setActivity(activeRun() ? view.label : null);
        if (view.show !== "line") return;
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
        if (ev.type === "stderr") shownOutput.add(ev.text);
        output(c, seq, ev.text);
        return;
      case "tool_input_delta":
        setActivity(null);
        return;
      case "init":
        // A subagent's init names the same folder; the main one is what the cards are relative to.
        if (!ev.parentToolUseId) cwd = ev.cwd;
        return;
      case "status_changed":
      case "unknown":
        // Nothing to show: the idea list shows status; unknown lines are kept on the server.
        return;
    }
  }

  function notice(c: Container, seq: number, level: "info" | "warning" | "error", message: string) {
    c.push({ kind: "notice", key: `n${seq}`, level, message });
    const line = firstLine(message);
    if (level === "error" && line) shownErrors.add(line);
  }

  function output(c: Container, seq: number, line: string) {
    if (c.lastOutput) return c.lastOutput.push(line);
    const [lines, setLines] = createSignal<string[]>([line]);
    const item: Item = { kind: "output", key: `o${seq}`, lines };
    c.push(item);
    c.lastOutput = { item, push: (l) => setLines((ls) => [...ls, l]) };
  }

  function denyTool(c: Container, seq: number, toolUseId: string | null, toolName: string) {
    const t = toolUseId ? tools.get(toolUseId) : undefined;
    if (t) t.setDenied(true);
    else notice(c, seq, "warning", `Permission denied for ${toolName}.`);
  }

  function closeStreams() {
    for (const c of containers) c.open.length = 0;
  }

  return {
    items: root.items,
    activeRun,
    activity,
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
        for (const c of containers) c.flush();
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
  };
}

function firstLine(text: string): string {
  return text.trim().split("\n", 1)[0]?.trim() ?? "";
}

/** Why a run stopped, for an error result that carries no text of its own. */
function errorResultSentence(subtype: string, turns: number | null): string {
  switch (subtype) {
    // What a cancel (SIGINT) ends with: the footer already says the run was stopped.
    case "error_during_execution":
      return "";
    case "error_max_turns":
      return `Claude stopped after reaching the maximum number of turns${turns === null ? "" : ` (${turns})`}.`;
    case "error_max_budget_usd":
      return "Claude stopped after reaching its spending limit.";
    default:
      return `Claude stopped: ${subtype.replace(/_/g, " ")}.`;
  }
}
