// The idea header's money line: what its runs cost (of its budget, if any) and the tokens they used.
import { createResource, Show } from "solid-js";
import type { IdeaMeta } from "@catalyst/shared";
import { useApp } from "../context.js";
import { formatCost, formatTokens } from "../util/format.js";

export function IdeaSpend(props: { idea: IdeaMeta; onBudget?: () => void }) {
  const { api } = useApp();
  // Refetched when a run adds to the idea (its cost or run count changes) and when a run ends (the
  // cost is written from the run's result, before the usage index counts the run's tokens), not on
  // a rename: the key is a string, so an unchanged one does not count as a change.
  const [usage] = createResource(
    () =>
      `${props.idea.totalCostUsd}/${props.idea.runs}/${props.idea.activeRunId ?? ""}/${props.idea.id}`,
    async () => {
      const r = await api.usage({ groupBy: "idea", ideaId: props.idea.id });
      return r.ok ? r.value.totals : null;
    },
  );
  const budget = () => props.idea.budgetUsd ?? null;
  const over = () => {
    const b = budget();
    return b !== null && props.idea.totalCostUsd >= b;
  };
  return (
    <span class="idea-spend">
      <span class="cost" classList={{ over: over() }}>
        {formatCost(props.idea.totalCostUsd)}
        <Show when={budget() !== null} fallback=" so far">
          {` of ${formatCost(budget())} budget`}
        </Show>
      </span>
      <Show when={usage()}>
        {(u) => (
          <span
            class="tokens muted"
            title={`Cache: ${formatTokens(u().cacheReadTokens)} read, ${formatTokens(u().cacheWriteTokens)} written`}
          >
            {formatTokens(u().inputTokens)} in · {formatTokens(u().outputTokens)} out
          </span>
        )}
      </Show>
      <Show when={props.onBudget}>
        {(open) => (
          <button
            type="button"
            class="btn link small budget-btn"
            onClick={() => open()()}
            aria-label={
              budget() === null ? "Set budget for this idea" : "Change this idea's budget"
            }
          >
            {budget() === null ? "Set budget" : "Budget"}
          </button>
        )}
      </Show>
    </span>
  );
}
