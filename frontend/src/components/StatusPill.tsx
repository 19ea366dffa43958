// An idea's status as a small coloured label, with a pulse while a run is going on.
import { Show } from "solid-js";
import type { IdeaStatus } from "@catalyst/shared";

export function StatusPill(props: { status: IdeaStatus; running: boolean }) {
  return (
    <span class={`pill status-${props.status}`}>
      <Show when={props.running}>
        <span class="pulse" aria-hidden="true" />
      </Show>
      {props.status.replace(/_/g, " ")}
      <Show when={props.running}>
        <span class="sr-only">, running</span>
      </Show>
    </span>
  );
}
