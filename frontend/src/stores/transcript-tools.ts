// The transcript's tool calls: their cards, their results, and the subagent group each one owns.
import { createSignal, type Setter } from "solid-js";
import type { TranscriptEvent } from "@catalyst/shared";
import { Container } from "./transcript-container.js";
import type { ToolItem, ToolResultView } from "./transcript-items.js";
import { keyArgument } from "./tool-view.js";

type ToolState = {
  item: ToolItem;
  setResult: Setter<ToolResultView | null>;
  setDenied: Setter<boolean>;
  setStopped: Setter<boolean>;
  setAwaiting: Setter<boolean>;
  container: Container;
};

type ToolUse = Extract<TranscriptEvent, { type: "tool_use" }>;

export type ToolRegistry = ReturnType<typeof createToolRegistry>;

export function createToolRegistry(root: Container) {
  const tools = new Map<string, ToolState>();
  /** Tool calls still waiting for their result. */
  const pendingTools = new Set<ToolState>();
  const containers: Container[] = [root];

  return {
    /** Where an event goes: its parent tool call's group, else the chat. */
    containerFor: (parent: string | null | undefined): Container =>
      (parent ? tools.get(parent)?.container : undefined) ?? root,
    /** Adds a tool call's card to `c`, with a new group for what a subagent it starts does. */
    add(c: Container, seq: number, ev: ToolUse, cwd: string | null) {
      const [result, setResult] = createSignal<ToolResultView | null>(null);
      const [denied, setDenied] = createSignal(false);
      const [stopped, setStopped] = createSignal(false);
      const [awaiting, setAwaiting] = createSignal(false);
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
        awaiting,
        children: group.items,
      };
      const state: ToolState = {
        item,
        setResult,
        setDenied,
        setStopped,
        setAwaiting,
        container: group,
      };
      tools.set(ev.id, state);
      pendingTools.add(state);
      c.push(item);
    },
    /** Sets a call's result; false when no such call is known. */
    resolve(toolUseId: string, view: ToolResultView): boolean {
      const tool = tools.get(toolUseId);
      if (!tool) return false;
      tool.setResult(view);
      pendingTools.delete(tool);
      return true;
    },
    /** Marks a call as denied; false when no such call is known. */
    deny(toolUseId: string | null): boolean {
      const t = toolUseId ? tools.get(toolUseId) : undefined;
      if (t) t.setDenied(true);
      return t !== undefined;
    },
    /** A permission request for the call waits for the person (or no longer does). */
    setAwaiting(toolUseId: string | null, on: boolean) {
      if (toolUseId) tools.get(toolUseId)?.setAwaiting(on);
    },
    /** The run ended: calls still waiting for a result never get one. */
    stopPending() {
      for (const tool of pendingTools) {
        tool.setStopped(true);
        tool.setAwaiting(false);
      }
      pendingTools.clear();
    },
    closeStreams() {
      for (const c of containers) c.open.length = 0;
    },
    flush() {
      for (const c of containers) c.flush();
    },
  };
}
