// The root: signs in (from the form or a `?key=` link), then shows the workspace.
import { createSignal, Match, onMount, Switch } from "solid-js";
import { makeApiClient } from "./api/client.js";
import { Login } from "./components/Login.js";
import { Workspace } from "./components/Workspace.js";
import { createSession } from "./stores/session.js";
import { takeKeyFromUrl } from "./util/route.js";

export function App() {
  let expire = () => {};
  const api = makeApiClient({ onUnauthorized: () => expire() });
  const session = createSession(api);
  expire = session.expired;
  const [linkError, setLinkError] = createSignal<string | null>(null);

  onMount(async () => {
    const key = takeKeyFromUrl();
    if (key === null) return session.check();
    const err = await session.login(key);
    if (err) {
      setLinkError(err);
      session.expired();
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
