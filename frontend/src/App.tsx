// The root: signs in (from the form or a one-time `#login=` link), then shows the workspace.
import { createSignal, Match, onMount, Switch } from "solid-js";
import { makeApiClient } from "./api/client.js";
import { Login } from "./components/Login.js";
import { Workspace } from "./components/Workspace.js";
import { createSession } from "./stores/session.js";
import { takeLoginTokenFromUrl } from "./util/route.js";

export function App() {
  let expire = () => {};
  const api = makeApiClient({ onUnauthorized: () => expire() });
  const session = createSession(api);
  expire = session.expired;
  const [linkError, setLinkError] = createSignal<string | null>(null);

  onMount(async () => {
    const { token, keyInUrl } = takeLoginTokenFromUrl();
    if (token === null) {
      if (keyInUrl) {
        setLinkError("Links with the key are no longer accepted: type the key below instead.");
      }
      return session.check();
    }
    const err = await session.loginWithLink(token);
    if (err) {
      setLinkError(err);
      await session.check();
    }
  });

  return (
    <Switch>
      <Match when={session.status() === "checking"}>
        <div class="loading" aria-busy="true" />
      </Match>
      <Match when={session.status() === "signed_out"}>
        <Login session={session} initialError={linkError()} />
      </Match>
      <Match when={session.status() === "signed_in"}>
        <Workspace api={api} session={session} />
      </Match>
    </Switch>
  );
}
