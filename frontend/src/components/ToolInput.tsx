// A tool call's input as a person reads it: the file a Write creates (highlighted), the change an
// Edit makes (a diff), and the raw JSON for any other tool.
import { For, Match, Switch } from "solid-js";
import { diffLines } from "diff";
import { z } from "zod";
import { highlightCode } from "../markdown/render.js";
import { LongText } from "./LongText.js";

const writeSchema = z.looseObject({ file_path: z.string(), content: z.string() });
const editSchema = z.looseObject({
  file_path: z.string(),
  old_string: z.string(),
  new_string: z.string(),
});
const multiEditSchema = z.looseObject({
  file_path: z.string(),
  edits: z.array(z.looseObject({ old_string: z.string(), new_string: z.string() })),
});

export type DiffLine = { kind: "add" | "del" | "same"; text: string };

/** An edit as lines: removed, added and unchanged, in order (jsdiff's line diff). */
export function editLines(before: string, after: string): DiffLine[] {
  return diffLines(before, after).flatMap((part) => {
    const kind = part.added ? "add" : part.removed ? "del" : "same";
    const lines = part.value.split("\n");
    if (lines.at(-1) === "") lines.pop();
    return lines.map((text) => ({ kind, text }));
  });
}

const extension = (path: string) => /\.([A-Za-z0-9]+)$/.exec(path)?.[1] ?? "";

function inputText(input: unknown): string {
  try {
    return JSON.stringify(input, null, 2) ?? "";
  } catch {
    return String(input);
  }
}

function Diff(props: { before: string; after: string }) {
  return (
    <pre class="diff" aria-label="Changes">
      <For each={editLines(props.before, props.after)}>
        {(l) => (
          <span class={`diff-line diff-${l.kind}`}>
            <span class="diff-sign" aria-hidden="true">
              {l.kind === "add" ? "+" : l.kind === "del" ? "-" : " "}
            </span>
            <span class="sr-only">
              {l.kind === "add" ? "added: " : l.kind === "del" ? "removed: " : ""}
            </span>
            {l.text}
            {"\n"}
          </span>
        )}
      </For>
    </pre>
  );
}

export function ToolInput(props: { name: string; input: unknown }) {
  const write = () => (props.name === "Write" ? writeSchema.safeParse(props.input) : null);
  const edit = () => (props.name === "Edit" ? editSchema.safeParse(props.input) : null);
  const multi = () => (props.name === "MultiEdit" ? multiEditSchema.safeParse(props.input) : null);
  return (
    <Switch fallback={<LongText text={inputText(props.input)} />}>
      <Match when={write()?.data}>
        {(w) => (
          <pre class="code">
            {/* Safe: highlightCode escapes (highlight.js wraps escaped text in spans). */}
            <code class="hljs" innerHTML={highlightCode(w().content, extension(w().file_path))} />
          </pre>
        )}
      </Match>
      <Match when={edit()?.data}>
        {(e) => <Diff before={e().old_string} after={e().new_string} />}
      </Match>
      <Match when={multi()?.data}>
        {(m) => (
          <For each={m().edits}>{(e) => <Diff before={e.old_string} after={e.new_string} />}</For>
        )}
      </Match>
    </Switch>
  );
}
