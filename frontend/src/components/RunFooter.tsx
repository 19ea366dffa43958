// The line that closes a run: how it ended, how long it took, turns and cost.
import { NOT_LOGGED_IN_PATTERN } from "@catalyst/shared";
import { For, Show } from "solid-js";
import type { FooterItem } from "../stores/transcript.js";
import { formatCost, formatDuration } from "../util/format.js";
import { Folded } from "./Folded.js";
import { useIdeaView } from "./idea-view-context.js";

const outcomeLabel: Record<FooterItem["outcome"], string> = {
  completed: "Completed",
  failed: "Failed",
  cancelled: "Cancelled",
  timed_out: "Timed out",
  disconnected: "Connection to the machine lost",
};

/** Completed, but without some of what it was asked: not a green "completed". */
export const partial = (f: FooterItem) => f.outcome === "completed" && f.denied > 0;

/**
 * "Chat completed · 2.1 s · 1 turn · $0.01", or "Build completed, 2 commands denied · …": the
 * footer's line, also said to screen readers.
 */
export function footerLine(f: FooterItem): string {
  const denied = f.denied > 0 ? `, ${f.denied} command${f.denied === 1 ? "" : "s"} denied` : "";
  return [
    `${f.mode === "build" ? "Build" : "Chat"} ${outcomeLabel[f.outcome].toLowerCase()}${denied}`,
    formatDuration(f.durationMs),
    f.turns !== null ? `${f.turns} turn${f.turns === 1 ? "" : "s"}` : null,
    f.costUsd !== null ? formatCost(f.costUsd) : null,
  ]
    .filter((p): p is string => p !== null)
    .join(" · ");
}

export function RunFooter(props: { item: FooterItem }) {
  const f = props.item;
  const view = useIdeaView();
  // No live role here: Chat's announcer says how a run ended, once, not every footer in history.
  return (
    <div class={`run-footer outcome-${f.outcome}`} classList={{ partial: partial(f) }}>
      <div class="run-line">
        {footerLine(f)}
        <Show when={f.mode === "build" && view}>
          {(v) => (
            <button
              type="button"
              class="btn link run-changes"
              onClick={() => v().showChanges(f.runId)}
            >
              View changes
            </button>
          )}
        </Show>
      </div>
      <Show when={f.message}>
        {/* The CLI's "Not logged in · Please run /login" means nothing on a web page. */}
        <p class="run-message">
          {NOT_LOGGED_IN_PATTERN.test(f.message ?? "")
            ? "Claude Code is not signed in on the machine: connect your Claude account."
            : f.message}
        </p>
      </Show>
      <Show when={f.stderrTail.length > 0}>
        <Folded label={<span>Last lines the CLI printed</span>}>
          {() => (
            <pre class="plain">
              <For each={f.stderrTail}>{(l) => `${l}\n`}</For>
            </pre>
          )}
        </Folded>
      </Show>
    </div>
  );
}
