// The line a run the CLI stopped at its budget cap leaves in the chat, with a way to raise the budget.
import { Show } from "solid-js";

export function BudgetStop(props: { message: string; onRaiseBudget?: () => void }) {
  return (
    <div class="notice warning budget-stop" role="alert">
      <p>{props.message}</p>
      <Show when={props.onRaiseBudget}>
        {(raise) => (
          <button type="button" class="btn small" onClick={() => raise()()}>
            Raise the budget
          </button>
        )}
      </Show>
    </div>
  );
}
