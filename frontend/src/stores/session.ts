// Whether the person is signed in: checked once at start, ended by logout or any 401.
import { createSignal } from "solid-js";
import type { ApiClient } from "../api/client.js";
import { describeError } from "../api/messages.js";

export type SessionStatus = "checking" | "signed_in" | "signed_out";

export function createSession(api: ApiClient) {
  const [status, setStatus] = createSignal<SessionStatus>("checking");
  return {
    status,
    /** Any request answering 401 ends the session. */
    expired: () => setStatus("signed_out"),
    async check(): Promise<void> {
      const r = await api.listIdeas();
      setStatus(r.ok ? "signed_in" : "signed_out");
    },
    /** Returns an error sentence, or null when signed in. */
    async login(key: string): Promise<string | null> {
      const r = await api.login(key.trim());
      if (r.ok) {
        setStatus("signed_in");
        return null;
      }
      if (r.error.code === "unauthorized") return "That key is not right. Check it and try again.";
      return describeError(r.error);
    },
    /** Returns an error sentence, or null when signed in. */
    async loginWithLink(token: string): Promise<string | null> {
      const r = await api.loginWithLink(token);
      if (r.ok) {
        setStatus("signed_in");
        return null;
      }
      if (r.error.code === "unauthorized") {
        return "This login link was already used or has expired. Type the key instead, or restart the server for a new link.";
      }
      return describeError(r.error);
    },
    async logout(): Promise<void> {
      await api.logout();
      setStatus("signed_out");
    },
  };
}
export type Session = ReturnType<typeof createSession>;
