// A short text whose `backticked` parts are code: rule names in labels ("Always allow `npm *`").
import { For } from "solid-js";

export function CodeSpans(props: { text: string }) {
  // Split on backticks: odd pieces were inside a pair.
  return (
    <For each={props.text.split("`")}>
      {(part, i) => (i() % 2 === 1 ? <code>{part}</code> : part)}
    </For>
  );
}
