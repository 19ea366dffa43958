// Says when the live connection is down and that it is coming back.
import { Show } from "solid-js";
import { useApp } from "../context.js";

export function ConnectionBanner() {
  const { connection } = useApp();
  const down = () => connection.everOpened() && connection.state() !== "open";
  return (
    <Show when={down()}>
      <div class="banner warning" role="status">
        Connection lost. Reconnecting
        {connection.attempt() > 1 ? ` (attempt ${connection.attempt()})` : ""}… Nothing is missed:
        the chat catches up when it is back.
      </div>
    </Show>
  );
}
