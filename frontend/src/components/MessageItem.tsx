// One chat item, drawn according to its kind.
import type { JSX } from "solid-js";
import type { Item } from "../stores/transcript.js";
import { BudgetStop } from "./BudgetStop.js";
import { Folded } from "./Folded.js";
import { Markdown } from "./Markdown.js";
import { RequestCard } from "./RequestCard.js";
import { RunFooter } from "./RunFooter.js";
import { ThinkingBlock } from "./ThinkingBlock.js";
import { ToolCard } from "./ToolCard.js";

// Items never change kind, so a plain switch (run once per item) is enough.
export function MessageItem(props: { item: Item; onRaiseBudget?: () => void }): JSX.Element {
  const item = props.item;
  switch (item.kind) {
    case "user":
      return (
        <div class={`msg user mode-${item.mode}`} classList={{ queued: item.queued === true }}>
          {item.mode === "build" && !item.queued ? <span class="badge build">Build</span> : null}
          {item.queued ? <span class="badge queued">Sent to the running session</span> : null}
          <div class="bubble">{item.text || "Build the idea."}</div>
        </div>
      );
    case "text":
      return (
        <div class="msg assistant">
          <Markdown text={item.text} />
        </div>
      );
    case "thinking":
      return <ThinkingBlock text={item.text} />;
    case "tool":
      return <ToolCard item={item} />;
    case "notice":
      return (
        <div class={`notice ${item.level}`} role={item.level === "error" ? "alert" : undefined}>
          {item.message}
        </div>
      );
    case "budget_stop":
      return <BudgetStop message={item.message} onRaiseBudget={props.onRaiseBudget} />;
    case "budget_refused":
      return <BudgetStop refused message={item.message} onRaiseBudget={props.onRaiseBudget} />;
    case "output":
      return (
        <Folded
          class="output"
          label={
            <span>
              CLI output · {item.lines().length} line{item.lines().length === 1 ? "" : "s"}
            </span>
          }
        >
          {() => <pre class="plain">{item.lines().join("\n")}</pre>}
        </Folded>
      );
    case "footer":
      return <RunFooter item={item} />;
    case "approval":
      return <RequestCard item={item} />;
    case "error":
      return (
        <div class="notice error chat-error" role="alert">
          {item.message}
        </div>
      );
  }
}
