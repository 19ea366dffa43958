// In an idea's chat: when the last run failed because Claude Code is not logged in on the
// machine, say so in plain words and offer the Account panel, instead of the CLI's raw error.
import { NOT_LOGGED_IN_PATTERN } from "@catalyst/shared";
import { Show } from "solid-js";
import type { FooterItem, Item } from "../stores/transcript.js";

/**
 * The last run's footer, when that run failed for want of a login: its message, its stderr, or an
 * error the chat already showed during the run (then the footer leaves the message out) says so.
 */
export function loginFailure(items: readonly Item[]): FooterItem | null {
  const last = items.findLastIndex((i) => i.kind === "footer");
  const footer = items[last];
  if (footer?.kind !== "footer" || footer.outcome !== "failed") return null;
  const said = [footer.message ?? "", ...footer.stderrTail];
  for (let i = last - 1; i >= 0; i--) {
    const item = items[i];
    if (!item || item.kind === "footer" || item.kind === "user") break;
    if (item.kind === "notice" || item.kind === "error") said.push(item.message);
  }
  return NOT_LOGGED_IN_PATTERN.test(said.join("\n")) ? footer : null;
}

export function ConnectAccount(props: { items: readonly Item[]; onConnect: () => void }) {
  return (
    <Show when={loginFailure(props.items)}>
      <div class="connect-account" role="alert">
        <p>
          <strong>Connect your Claude account.</strong> Claude Code on the machine is not signed in,
          so it cannot answer yet.
        </p>
        <button type="button" class="btn primary" onClick={() => props.onConnect()}>
          Connect account
        </button>
      </div>
    </Show>
  );
}
