// The line a budget leaves in the chat (a run the CLI stopped at its cap, or one the server refused
// to start), with a way to raise the budget.
import { Show } from "solid-js";

export function BudgetStop(props: {
  message: string;
  /** Refused to start (402), rather than stopped by the CLI. */
  refused?: boolean;
  onRaiseBudget?: () => void;
}) {
  return (
    <div
      class="notice warning"
      classList={{ "budget-stop": !props.refused, "budget-refused": props.refused === true }}
      role="alert"
    >
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
