// Sets or clears an idea's budget: what all its runs together may cost.
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { BUDGET_MAX_USD, type IdeaMeta } from "@catalyst/shared";
import { describeError } from "../api/messages.js";
import { useApp } from "../context.js";
import { formatCost } from "../util/format.js";

/** What to offer when the budget is used up: what was spent plus a little, in whole dollars. */
export function suggestedBudget(meta: Pick<IdeaMeta, "budgetUsd" | "totalCostUsd">): string {
  const current = meta.budgetUsd ?? null;
  if (current === null) return "";
  if (current > meta.totalCostUsd) return String(current);
  return String(Math.max(1, Math.ceil(meta.totalCostUsd * 1.5)));
}

export function BudgetDialog(props: { idea: IdeaMeta; onClose: () => void }) {
  const { ideas } = useApp();
  const [draft, setDraft] = createSignal(suggestedBudget(props.idea));
  const [error, setError] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let form: HTMLFormElement | undefined;
  const previous = document.activeElement;
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") props.onClose();
    // Modal for the keyboard too: Tab cycles through the dialog's own field and buttons.
    if (e.key === "Tab" && form) {
      const stops = [...form.querySelectorAll<HTMLElement>("input, button:not(:disabled)")];
      const active = document.activeElement;
      const inside = active instanceof Node && form.contains(active);
      if (e.shiftKey && (active === stops[0] || !inside)) {
        e.preventDefault();
        stops.at(-1)?.focus();
      } else if (!e.shiftKey && (active === stops.at(-1) || !inside)) {
        e.preventDefault();
        stops[0]?.focus();
      }
    }
  };
  onMount(() => {
    input?.focus();
    input?.select();
    document.addEventListener("keydown", onKey);
  });
  onCleanup(() => {
    document.removeEventListener("keydown", onKey);
    if (previous instanceof HTMLElement) previous.focus();
  });

  const save = async (budgetUsd: number | null) => {
    setSaving(true);
    const r = await ideas[1].setBudget(props.idea.id, budgetUsd);
    setSaving(false);
    if (r.ok) props.onClose();
    else setError(describeError(r.error));
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const text = draft().trim();
    if (text === "") return void save(null);
    const usd = Number(text);
    if (!Number.isFinite(usd) || usd < 0 || usd > BUDGET_MAX_USD) {
      return setError(`Enter an amount in dollars from 0 to ${BUDGET_MAX_USD}, or leave it empty.`);
    }
    void save(usd);
  };

  return (
    <Portal>
      <div class="backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <form
          ref={(el) => (form = el)}
          class="dialog budget-dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby="budget-title"
          onSubmit={submit}
        >
          <h2 id="budget-title">Budget for this idea</h2>
          <div class="dialog-body">
            <p>
              Its runs have cost <strong>{formatCost(props.idea.totalCostUsd)}</strong> so far. No
              run starts once they reach the budget, and each run stops when it would go past it.
            </p>
            <label class="budget-field">
              <span>Budget in US dollars (empty: no budget)</span>
              <span class="budget-input">
                <span aria-hidden="true">$</span>
                <input
                  ref={(el) => (input = el)}
                  type="number"
                  inputMode="decimal"
                  min="0"
                  step="0.01"
                  value={draft()}
                  onInput={(e) => {
                    setDraft(e.currentTarget.value);
                    setError(null);
                  }}
                />
              </span>
            </label>
            <Show when={error()}>
              <p class="form-error" role="alert">
                {error()}
              </p>
            </Show>
          </div>
          <div class="dialog-actions">
            <button class="btn" type="button" onClick={() => props.onClose()}>
              Cancel
            </button>
            <button class="btn primary" type="submit" disabled={saving()}>
              Save budget
            </button>
          </div>
        </form>
      </div>
    </Portal>
  );
}
