// One tool call: name and key argument, its result folded underneath, subagent work grouped inside.
import { For, Show } from "solid-js";
import type { ToolItem } from "../stores/transcript.js";
import { keyArgument } from "../stores/tool-view.js";
import { Folded } from "./Folded.js";
import { LongText } from "./LongText.js";
import { MessageItem } from "./MessageItem.js";
import { ToolInput } from "./ToolInput.js";

export function ToolCard(props: { item: ToolItem }) {
  const item = props.item;
  const state = () => {
    if (item.denied()) return { cls: "denied", label: "Permission denied" };
    const r = item.result();
    if (!r) {
      if (item.stopped()) return { cls: "stopped", label: "no result" };
      return item.awaiting()
        ? {
            cls: "awaiting",
            label:
              item.name === "AskUserQuestion"
                ? "waiting for your answer"
                : "waiting for your approval",
          }
        : { cls: "pending", label: "running…" };
    }
    return r.isError ? { cls: "error", label: "Error" } : { cls: "ok", label: "done" };
  };
  return (
    <div class={`tool tool-${state().cls}`} data-tool={item.name}>
      <Folded
        label={
          <>
            <span class="tool-name">{item.name}</span>
            <span class="tool-arg" title={keyArgument(item.input)}>
              {item.summary}
            </span>
            <span class={`tool-state ${state().cls}`}>{state().label}</span>
          </>
        }
      >
        {() => (
          <>
            <div class="tool-section">
              {item.name === "Write" ? "File" : item.name.endsWith("Edit") ? "Change" : "Input"}
            </div>
            <ToolInput name={item.name} input={item.input} />
            <Show when={item.result()}>
              {(r) => (
                <>
                  <div class="tool-section">{r().isError ? "Error" : "Result"}</div>
                  <LongText text={r().text} />
                </>
              )}
            </Show>
          </>
        )}
      </Folded>
      <Show when={item.children().length > 0}>
        <Folded class="subagent" label={<span>Subagent · {item.children().length} steps</span>}>
          {() => <For each={item.children()}>{(child) => <MessageItem item={child} />}</For>}
        </Folded>
      </Show>
    </div>
  );
}
