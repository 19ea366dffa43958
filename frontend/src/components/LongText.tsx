// Shows the start of a long text and the rest on demand, so a 200 KB result never freezes the page.
import { createSignal, Show } from "solid-js";
import { formatBytes } from "../util/format.js";

export const PREVIEW_CHARS = 4000;

export function LongText(props: { text: string }) {
  const [all, setAll] = createSignal(false);
  const long = () => props.text.length > PREVIEW_CHARS;
  return (
    <>
      <pre class="plain">{all() || !long() ? props.text : props.text.slice(0, PREVIEW_CHARS)}</pre>
      <Show when={long() && !all()}>
        <button type="button" class="btn link" onClick={() => setAll(true)}>
          Show all ({formatBytes(new TextEncoder().encode(props.text).length)})
        </button>
      </Show>
    </>
  );
}
