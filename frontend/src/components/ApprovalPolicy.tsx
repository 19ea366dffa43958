// The idea's approval policy as a switch: ask before each tool call, or allow them all ("auto";
// Claude's questions still come to the person).
import { createSignal, Show } from "solid-js";
import type { IdeaMeta } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";

export function ApprovalPolicy(props: { idea: IdeaMeta }) {
  const { ideas } = useApp();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const auto = () => props.idea.approvals === "auto";
  const toggle = async () => {
    setBusy(true);
    setError(null);
    const r = await ideas[1].setApprovals(props.idea.id, auto() ? "ask" : "auto");
    setBusy(false);
    if (!r.ok) setError(describeError(r.error));
  };
  return (
    <span class="policy">
      <button
        type="button"
        role="switch"
        class="policy-switch"
        aria-checked={auto()}
        disabled={busy()}
        onClick={() => void toggle()}
        title={
          auto()
            ? "A build's tool calls are allowed without asking (questions, and a chat's requests, still come to you). Switch to be asked."
            : "You are asked before each command or file change Claude has not been allowed. Switch to allow them all."
        }
      >
        <span class="switch-track" aria-hidden="true">
          <span class="switch-knob" />
        </span>
        <span>Approvals: {auto() ? "auto" : "ask"}</span>
      </button>
      <Show when={error()}>
        <span class="form-error" role="alert">
          {error()}
        </span>
      </Show>
    </span>
  );
}
