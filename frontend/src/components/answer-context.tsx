// How a request card sends its answer: the open idea's answer route, and a note of what was sent.
import { createContext, createSignal, Show, useContext, type ParentProps } from "solid-js";
import type { PermissionAnswerBody } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";

/** Sends an answer; resolves to a sentence when it did not get through, else null. */
export type AnswerSender = (
  requestId: string,
  body: PermissionAnswerBody,
) => Promise<string | null>;

const Ctx = createContext<AnswerSender>();

export function AnswerProvider(props: ParentProps<{ ideaId: string }>) {
  const { api } = useApp();
  const send: AnswerSender = async (requestId, body) => {
    const r = await api.answerPermission(props.ideaId, requestId, body);
    if (r.ok) return null;
    // Another viewer, the policy or the timeout answered first: its permission_answered says how.
    if (r.error.code === "already_answered") return null;
    if (r.error.status === 404) return "This request is no longer waiting: the run has ended.";
    return describeError(r.error);
  };
  return <Ctx.Provider value={send}>{props.children}</Ctx.Provider>;
}

export function useAnswerSender(): AnswerSender {
  const send = useContext(Ctx);
  if (!send) throw new Error("a request card outside AnswerProvider");
  return send;
}

/** One card's answer: sends it, and says while it is sending and why it did not get through. */
export function createAnswer(requestId: string) {
  const send = useAnswerSender();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const submit = async (body: PermissionAnswerBody) => {
    setBusy(true);
    setError(null);
    const err = await send(requestId, body);
    setBusy(false);
    if (err) setError(err);
  };
  return { busy, error, submit };
}

/** "Sending…" while an answer is on its way, then the reason it was refused, if it was. */
export function AnswerStatus(props: { busy: boolean; error: string | null }) {
  return (
    <>
      <Show when={props.busy}>
        <span class="request-sending muted" role="status">
          Sending…
        </span>
      </Show>
      <Show when={props.error}>
        <p class="form-error" role="alert">
          {props.error}
        </p>
      </Show>
    </>
  );
}
