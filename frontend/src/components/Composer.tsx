// Where a person writes: Enter sends, Shift+Enter is a new line; Build and Cancel live here too.
import { createEffect, createSignal, onMount, Show } from "solid-js";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";
import type { TranscriptStore } from "../stores/transcript.js";
import { ConfirmDialog } from "./ConfirmDialog.js";

export function Composer(props: { ideaId: string; transcript: TranscriptStore }) {
  const { api, health } = useApp();
  const t = props.transcript;
  const [text, setText] = createSignal("");
  // Between the request being accepted and run_started arriving over the socket.
  const [starting, setStarting] = createSignal(false);
  const [cancelSent, setCancelSent] = createSignal(false);
  const [confirmBuild, setConfirmBuild] = createSignal(false);
  let box: HTMLTextAreaElement | undefined;

  // Opening or creating an idea is a step towards writing in it; not on touch screens, where
  // focusing would pop the keyboard up over the chat a person may only want to read.
  onMount(() => {
    const touch = typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;
    if (!touch) box?.focus({ preventScroll: true });
  });

  createEffect(() => {
    if (t.activeRun()) setStarting(false);
    else setCancelSent(false);
  });

  // What the run is doing right now ("Requesting…"); not while it is being stopped.
  const activity = () => {
    const run = t.activeRun();
    return run && !run.cancelling && !cancelSent() ? t.activity() : null;
  };

  const busyReason = () => {
    const run = t.activeRun();
    if (run?.cancelling || (run && cancelSent())) return "Cancelling…";
    if (run) return run.mode === "build" ? "Claude is building this idea…" : "Claude is answering…";
    if (starting()) return "Starting…";
    return null;
  };

  async function start(kind: "chat" | "build") {
    const message = text().trim();
    if (kind === "chat" && !message) return;
    setStarting(true);
    const r =
      kind === "chat"
        ? await api.chat(props.ideaId, message)
        : await api.build(props.ideaId, message || undefined);
    if (!r.ok) {
      setStarting(false);
      t.addError(describeError(r.error));
      return;
    }
    setText("");
    // If the socket is down, run_started arrives later; do not keep the composer locked forever.
    setTimeout(() => setStarting(false), 15_000);
  }

  async function cancel() {
    setCancelSent(true);
    const r = await api.cancel(props.ideaId);
    if (!r.ok) {
      setCancelSent(false);
      t.addError(describeError(r.error));
    }
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!busyReason()) void start("chat");
    }
  };

  return (
    <div class="composer">
      <Show when={busyReason()}>
        <div class="composer-status" role="status">
          <span class="spinner" aria-hidden="true" />
          {busyReason()}
          <Show when={activity()}>
            <span class="composer-activity"> · {activity()}</span>
          </Show>
        </div>
      </Show>
      <textarea
        ref={(el) => (box = el)}
        rows={2}
        aria-label="Message"
        placeholder={
          busyReason()
            ? "Wait for the run to finish, or cancel it."
            : "Write a message… (Enter sends, Shift+Enter for a new line)"
        }
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        disabled={busyReason() !== null}
      />
      <div class="composer-actions">
        <Show
          when={t.activeRun()}
          fallback={
            <>
              <button
                type="button"
                class="btn build"
                disabled={busyReason() !== null}
                onClick={() => setConfirmBuild(true)}
                title="Let Claude Code write the code on the machine"
              >
                <span aria-hidden="true">⚒</span> Build
              </button>
              <button
                type="button"
                class="btn primary"
                disabled={busyReason() !== null || !text().trim()}
                onClick={() => void start("chat")}
              >
                Send
              </button>
            </>
          }
        >
          <button
            type="button"
            class="btn danger"
            disabled={cancelSent() || t.activeRun()?.cancelling}
            onClick={() => void cancel()}
          >
            {cancelSent() || t.activeRun()?.cancelling ? "Cancelling…" : "Cancel run"}
          </button>
        </Show>
      </div>
      <Show when={confirmBuild()}>
        <ConfirmDialog
          title="Build this idea?"
          confirmLabel="Start building"
          tone="build"
          onCancel={() => {
            setConfirmBuild(false);
            box?.focus();
          }}
          onConfirm={() => {
            setConfirmBuild(false);
            void start("build");
          }}
        >
          <p>
            Claude Code will create and change files in this idea's folder on{" "}
            <strong>{health()?.target ?? "the machine"}</strong>, and run commands there.
          </p>
          <Show when={text().trim()}>
            <p>Your message goes along as extra instructions.</p>
          </Show>
        </ConfirmDialog>
      </Show>
    </div>
  );
}
