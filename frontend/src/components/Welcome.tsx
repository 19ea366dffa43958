// What the main pane says when no idea is open: the way in for a first visit, a hint otherwise.
import { Show } from "solid-js";
import { useApp } from "../context.js";

export function Welcome(props: { onNew: () => void }) {
  const { ideas, health } = useApp();
  const firstVisit = () => ideas[0].loaded && ideas[0].list.length === 0;
  return (
    <div class="welcome">
      <Show
        when={firstVisit()}
        fallback={
          <>
            <h2>Pick an idea, or capture a new one.</h2>
            <p class="muted">
              Chat about it until it is clear, then press <strong>Build</strong> and Claude Code
              writes it on your machine.
            </p>
          </>
        }
      >
        <h2>Start with an idea</h2>
        <ol class="steps">
          <li>
            <strong>Capture it:</strong> a title, and a line or two if you like.
          </li>
          <li>
            <strong>Talk it through</strong> with Claude until it is clear what to build.
          </li>
          <li>
            <strong>Build:</strong> Claude Code writes it on{" "}
            <span class="mono">{health()?.target ?? "your machine"}</span>.
          </li>
        </ol>
        <button type="button" class="btn primary" onClick={() => props.onNew()}>
          Capture your first idea
        </button>
      </Show>
    </div>
  );
}
