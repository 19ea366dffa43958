// The Account panel: how Claude Code on the machine signs in, and the ways to connect it (a Claude
// subscription login with the code from claude.ai, or a pasted API key / setup-token).
import type { AccountStatus } from "@catalyst/shared";
import { createEffect, createSignal, on, onCleanup, onMount, Show } from "solid-js";
import { Portal } from "solid-js/web";
import type { AccountStore } from "../stores/account.js";

/** One sentence: is Claude Code connected on the machine, and how. */
export function accountSummary(s: AccountStatus): string {
  if (s.error) return "The account could not be checked.";
  if (!s.loggedIn) return "Not connected: runs will fail until you connect a Claude account.";
  const stored = s.stored ? " stored by Catalyst" : "";
  switch (s.kind) {
    case "api_key":
      return `Connected with an API key${stored}.`;
    case "oauth_token":
      return `Connected with a long-lived token${stored}.`;
    case "subscription":
      return `Connected with a Claude subscription${s.subscription ? ` (${s.subscription})` : ""}.`;
    default:
      return "Connected.";
  }
}

const FOCUSABLE = "button:not(:disabled), input:not(:disabled), a[href]";

export function AccountPanel(props: { account: AccountStore; onClose: () => void }) {
  const a = props.account;
  const [code, setCode] = createSignal("");
  const [key, setKey] = createSignal("");
  let dialog: HTMLDivElement | undefined;
  let first: HTMLButtonElement | undefined;
  let loginButton: HTMLButtonElement | undefined;
  let codeInput: HTMLInputElement | undefined;
  const previous = document.activeElement;

  // The control just used may be gone (the login's steps replace its button, a refused code ends
  // them) or disabled while the machine answers: the keyboard then goes to the step that comes
  // next, never back to the start of the page.
  const usable = (el: HTMLElement | undefined): el is HTMLElement =>
    el !== undefined && el.isConnected && !(el as HTMLButtonElement).disabled;
  const recoverFocus = () => {
    const active = document.activeElement;
    // While the machine answers, the busy effect below recovers once the buttons are enabled.
    if (a.busy() !== null) return;
    if (active && active !== document.body && dialog?.contains(active)) return;
    [codeInput, loginButton, first].find(usable)?.focus();
  };
  createEffect(
    on(
      a.login,
      (login) =>
        queueMicrotask(() => (login && usable(codeInput) ? codeInput.focus() : recoverFocus())),
      { defer: true },
    ),
  );
  createEffect(
    on(a.busy, (busy) => busy === null && queueMicrotask(recoverFocus), { defer: true }),
  );

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") props.onClose();
    if (e.key !== "Tab" || !dialog) return;
    // Modal for the keyboard too: Tab cycles inside the panel.
    const all = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const active = document.activeElement;
    const inside = active instanceof Node && dialog.contains(active);
    if (e.shiftKey && (active === all[0] || !inside)) {
      e.preventDefault();
      all.at(-1)?.focus();
    } else if (!e.shiftKey && (active === all.at(-1) || !inside)) {
      e.preventDefault();
      all[0]?.focus();
    }
  };
  onMount(() => {
    first?.focus();
    document.addEventListener("keydown", onKey);
    void a.refresh(true);
  });
  onCleanup(() => {
    document.removeEventListener("keydown", onKey);
    if (previous instanceof HTMLElement) previous.focus();
  });

  const saveKey = async (e: SubmitEvent) => {
    e.preventDefault();
    const value = key().trim();
    if (!value) return;
    // A setup-token (sk-ant-oat...) signs in as CLAUDE_CODE_OAUTH_TOKEN, anything else is an API key.
    const body = value.startsWith("sk-ant-oat") ? { oauthToken: value } : { apiKey: value };
    setKey("");
    await a.store(body);
  };
  const finish = async (e: SubmitEvent) => {
    e.preventDefault();
    const value = code().trim();
    if (!value) return;
    if (await a.finishLogin(value)) setCode("");
  };

  return (
    <Portal>
      <div class="backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
        <div
          ref={(el) => (dialog = el)}
          class="dialog account-panel"
          role="dialog"
          aria-modal="true"
          aria-labelledby="account-title"
        >
          <div class="account-head">
            <h2 id="account-title">Claude account</h2>
            <button
              ref={(el) => (first = el)}
              type="button"
              class="btn small"
              onClick={() => props.onClose()}
            >
              Close
            </button>
          </div>

          <Show when={a.status()} fallback={<p class="muted">Checking the machine…</p>}>
            {(s) => (
              <div class="account-status" classList={{ connected: s().loggedIn }}>
                <p class="account-summary">{accountSummary(s())}</p>
                <Show when={s().error}>
                  <p class="account-error">{s().error}</p>
                </Show>
                <dl class="account-facts">
                  <dt>Machine</dt>
                  <dd>{s().target}</dd>
                  <dt>Claude Code</dt>
                  <dd>{s().cliVersion ?? "unknown"}</dd>
                  <Show when={s().expiresAt}>
                    <dt>Expires</dt>
                    <dd>{new Date(s().expiresAt ?? "").toLocaleDateString()}</dd>
                  </Show>
                </dl>
              </div>
            )}
          </Show>

          <p class="account-live" role="status" aria-live="polite">
            {a.busy() ?? a.notice() ?? ""}
          </p>
          <Show when={a.error()}>
            <p class="account-error" role="alert">
              {a.error()}
            </p>
          </Show>

          <section class="account-section" aria-labelledby="account-sub">
            <h3 id="account-sub">Claude subscription</h3>
            <Show
              when={a.login()}
              fallback={
                <button
                  ref={(el) => (loginButton = el)}
                  type="button"
                  class="btn primary"
                  disabled={a.busy() !== null}
                  onClick={() => void a.startLogin()}
                >
                  Log in with Claude
                </button>
              }
            >
              {(login) => (
                <ol class="account-steps">
                  <li>
                    <a href={login().url} target="_blank" rel="noopener noreferrer">
                      Open the sign-in page on claude.ai
                    </a>{" "}
                    and approve.
                  </li>
                  <li>
                    <form class="account-form" onSubmit={(e) => void finish(e)}>
                      <label for="account-code">Paste the code it shows</label>
                      <div class="account-row">
                        <input
                          ref={(el) => (codeInput = el)}
                          id="account-code"
                          value={code()}
                          onInput={(e) => setCode(e.currentTarget.value)}
                          autocomplete="off"
                          spellcheck={false}
                        />
                        <button
                          type="submit"
                          class="btn primary"
                          disabled={a.busy() !== null || !code().trim()}
                        >
                          Finish login
                        </button>
                      </div>
                    </form>
                  </li>
                </ol>
              )}
            </Show>
          </section>

          <section class="account-section" aria-labelledby="account-key">
            <h3 id="account-key">API key</h3>
            <form class="account-form" onSubmit={(e) => void saveKey(e)}>
              <label for="account-key-input">Anthropic API key or setup-token</label>
              <div class="account-row">
                <input
                  id="account-key-input"
                  type="password"
                  value={key()}
                  onInput={(e) => setKey(e.currentTarget.value)}
                  autocomplete="off"
                  placeholder="sk-ant-…"
                />
                <button type="submit" class="btn" disabled={a.busy() !== null || !key().trim()}>
                  Save key
                </button>
              </div>
            </form>
            <p class="muted small">
              Kept on the machine in a file only its owner can read; every run gets it. It is never
              shown again.
            </p>
            <Show when={a.status()?.stored}>
              <button
                type="button"
                class="btn small"
                disabled={a.busy() !== null}
                onClick={() => void a.remove()}
              >
                Remove the stored key
              </button>
            </Show>
          </section>

          <Show when={a.status()?.loggedIn}>
            <div class="account-foot">
              <button
                type="button"
                class="btn danger"
                disabled={a.busy() !== null}
                onClick={() => void a.logout()}
              >
                Log out of Claude
              </button>
            </div>
          </Show>
        </div>
      </div>
    </Portal>
  );
}
