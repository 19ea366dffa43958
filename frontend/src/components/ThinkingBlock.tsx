// Claude's thinking, folded away unless asked for.
import type { Accessor } from "solid-js";
import { Folded } from "./Folded.js";

export function ThinkingBlock(props: { text: Accessor<string> }) {
  return (
    <Folded class="thinking" label={<span>Thinking</span>}>
      {() => <pre class="plain">{props.text()}</pre>}
    </Folded>
  );
}
