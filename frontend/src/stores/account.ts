// The Claude account on the target, for the Account panel: its status and what can change it.
// Errors are sentences; a key or code typed in the panel is never kept here after it was sent.
import type { AccountStatus, LoginStarted, StoreCredentialBody } from "@catalyst/shared";
import { createSignal } from "solid-js";
import type { ApiClient } from "../api/client.js";
import { describeError } from "../api/messages.js";
import type { Result } from "../api/result.js";

export type AccountStore = ReturnType<typeof createAccountStore>;

export function createAccountStore(api: ApiClient) {
  const [status, setStatus] = createSignal<AccountStatus | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [login, setLogin] = createSignal<LoginStarted | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);

  /** Runs one action at a time; its failure becomes `error`, its status `status`. */
  async function act<T>(label: string, f: () => Promise<Result<T>>): Promise<T | null> {
    setBusy(label);
    setError(null);
    setNotice(null);
    try {
      const r = await f();
      if (!r.ok) {
        // The server's sentence says what went wrong with the account (the CLI's own words for a
        // refused code); the generic one only when there is no answer at all.
        const own = r.error.code !== "network" && r.error.code !== "bad_response";
        setError(own && r.error.message ? r.error.message : describeError(r.error));
        return null;
      }
      return r.value;
    } finally {
      setBusy(null);
    }
  }

  const settle = (s: AccountStatus | null, message?: string) => {
    if (s) setStatus(s);
    if (s && message) setNotice(message);
    return s !== null;
  };

  return {
    status,
    busy,
    error,
    login,
    notice,
    async refresh(fresh = false) {
      settle(await act("Checking…", () => api.account(fresh)));
    },
    async store(body: StoreCredentialBody) {
      return settle(await act("Saving…", () => api.storeCredential(body)), "Saved on the machine.");
    },
    async remove() {
      return settle(await act("Removing…", () => api.removeCredential()), "Removed.");
    },
    async logout() {
      setLogin(null);
      return settle(await act("Logging out…", () => api.accountLogout()), "Logged out.");
    },
    async startLogin() {
      const started = await act("Starting the login…", () => api.startLogin());
      setLogin(started);
      return started !== null;
    },
    async finishLogin(code: string) {
      const current = login();
      if (!current) return false;
      const done = await act("Checking the code…", () => api.finishLogin(current.loginId, code));
      if (!done) {
        // A refused code usually ends the CLI's login (and a new code needs a new link anyway).
        setLogin(null);
        return false;
      }
      setLogin(null);
      settle(await act("Checking…", () => api.account(true)), done.message);
      return true;
    },
    cancelLogin: () => setLogin(null),
  };
}
