// The sign-in screen: one key, a clear answer when it is wrong.
import { createSignal, Show } from "solid-js";
import type { Session } from "../stores/session.js";

export function Login(props: { session: Session; initialError?: string | null }) {
  const [key, setKey] = createSignal("");
  const [error, setError] = createSignal<string | null>(props.initialError ?? null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!key().trim()) return setError("Enter the access key.");
    setBusy(true);
    const err = await props.session.login(key());
    setBusy(false);
    setError(err);
  };

  return (
    <main class="login">
      <form class="login-card" onSubmit={submit}>
        <h1 class="brand">Catalyst</h1>
        <p class="muted">Capture an idea, talk it through with Claude Code, then build it.</p>
        <label for="key">Access key</label>
        <input
          id="key"
          type="password"
          autocomplete="current-password"
          value={key()}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-invalid={error() ? "true" : undefined}
          aria-describedby="login-error"
          autofocus
        />
        <Show when={error()}>
          <p id="login-error" class="form-error" role="alert">
            {error()}
          </p>
        </Show>
        <button class="btn primary" type="submit" disabled={busy()}>
          {busy() ? "Signing in…" : "Sign in"}
        </button>
        <p class="hint">
          The key is the server's <code>APP_KEY</code>. When none is set, the server makes one at
          each start and prints it. At each start it also prints a sign-in link that works once.
        </p>
      </form>
    </main>
  );
}
