// Where a person writes: Enter sends, Shift+Enter is a new line; Build and Cancel live here too.
import { createEffect, createMemo, createSignal, on, onMount, Show } from "solid-js";
import type { RunMode } from "@catalyst/shared";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";
import type { TranscriptStore } from "../stores/transcript.js";
import { askForNotifications } from "../stores/attention.js";
import { ConfirmDialog } from "./ConfirmDialog.js";

export function Composer(props: { ideaId: string; transcript: TranscriptStore }) {
  const { api, health, attention, ideas } = useApp();
  const t = props.transcript;
  const [text, setText] = createSignal("");
  // Between the request being accepted and run_started arriving over the socket.
  const [starting, setStarting] = createSignal(false);
  const [cancelSent, setCancelSent] = createSignal(false);
  const [confirmBuild, setConfirmBuild] = createSignal(false);
  let box: HTMLTextAreaElement | undefined;
  /** What this page last sent: a run that fails gives it back to the box. */
  let lastSent: string | null = null;

  // Not on touch screens, where focusing would pop the keyboard up over the chat a person may
  // only want to read.
  const touch = () => typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;
  const focusBox = () => {
    if (!touch()) box?.focus({ preventScroll: true });
  };
  // Opening or creating an idea is a step towards writing in it.
  onMount(focusBox);

  createEffect(() => {
    if (t.activeRun()) setStarting(false);
    else setCancelSent(false);
  });
  // A run ended: the next thing is to write again. The keyboard comes back here when it was here
  // or nowhere (the Cancel button it was on is gone); not when it is somewhere else on purpose.
  createEffect(
    on(
      () => t.activeRun() === null,
      (idle) => {
        if (!idle) return;
        const el = document.activeElement;
        const composer = box?.closest(".composer");
        if (el === null || el === document.body || (composer?.contains(el) ?? false)) focusBox();
      },
      { defer: true },
    ),
  );

  /** The last run failed: what it was asked, so it can be tried again. */
  const failed = () => {
    const last = t.lastEnded();
    if (t.activeRun() || !last || !last.prompt) return null;
    return last.outcome === "failed" ||
      last.outcome === "timed_out" ||
      last.outcome === "disconnected"
      ? last
      : null;
  };
  // Retry after a budget stop or a budget refusal would only be refused again: it waits until the
  // idea's budget changes (the "Raise the budget" button in the chat is the way on).
  const [budgetHeld, setBudgetHeld] = createSignal(false);
  createEffect(on(t.lastEnded, (last) => setBudgetHeld(last?.budgetStopped === true)));
  // A memo, so only a changed budget counts: the idea's meta is refreshed on every change of the
  // idea (its spending after the very run that was stopped), which must not lift the hold.
  const budgetUsd = createMemo(() => ideas[1].byId(props.ideaId)?.budgetUsd);
  createEffect(on(budgetUsd, () => setBudgetHeld(false), { defer: true }));
  /** The idea's own budget is used up (the server checks it first, so a refusal is about it). */
  const ideaBudgetUsedUp = () => {
    const meta = ideas[1].byId(props.ideaId);
    const budget = meta?.budgetUsd ?? null;
    return meta !== undefined && budget !== null && meta.totalCostUsd >= budget;
  };

  // A failed run does not eat what was written: it goes back into an empty box.
  createEffect(
    on(
      () => t.lastEnded()?.runId,
      () => {
        // A run that started and ended in one batch (a quick failure) never showed as active.
        setStarting(false);
        const last = failed();
        if (last && last.mode === "chat" && lastSent === last.prompt && !text().trim()) {
          setText(last.prompt);
        }
        lastSent = null;
      },
      { defer: true },
    ),
  );

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

  /** A run goes on: a message goes into it (the CLI takes it after the turn at hand). */
  const queueing = () => t.activeRun() !== null && !t.activeRun()?.cancelling && !cancelSent();

  async function start(kind: RunMode, again?: string) {
    const message = again ?? text().trim();
    if (kind === "chat" && !message) return;
    if (kind === "chat" && queueing()) return void queue(message);
    setStarting(true);
    const r =
      kind === "chat"
        ? await api.chat(props.ideaId, message)
        : await api.build(props.ideaId, message || undefined);
    if (!r.ok) {
      setStarting(false);
      if (r.error.code !== "budget_exceeded") return t.addError(describeError(r.error));
      setBudgetHeld(true);
      // Only the idea's budget is the person's to raise here (not the server's monthly one).
      if (ideaBudgetUsedUp()) t.addBudgetRefusal(r.error.message);
      else t.addError(describeError(r.error));
      // As a failed run does: a refused Retry gives its message to an empty box.
      if (kind === "chat" && !text().trim()) setText(message);
      return;
    }
    lastSent = message;
    if (again === undefined || text().trim() === again) setText("");
    focusBox();
    // If the socket is down, run_started arrives later; do not keep the composer locked forever.
    setTimeout(() => setStarting(false), 15_000);
  }

  async function queue(message: string) {
    const r = await api.chat(props.ideaId, message);
    if (!r.ok) return t.addError(describeError(r.error));
    // The message shows in the chat when its user_message_queued event arrives.
    setText("");
    focusBox();
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
      if (!busyReason() || queueing()) void start("chat");
    }
  };

  return (
    <div class="composer">
      <Show when={busyReason()}>
        <div class="composer-status" role="status">
          <span class="spinner" aria-hidden="true" />
          {/* One span: on a phone the words and the label wrap as one sentence, not two columns. */}
          <span class="composer-status-text">
            {busyReason()}
            <Show when={activity()}>
              <span class="composer-activity"> · {activity()}</span>
            </Show>
          </span>
        </div>
      </Show>
      <textarea
        ref={(el) => (box = el)}
        rows={2}
        aria-label="Message"
        placeholder={
          queueing()
            ? "Write to the running session… (Claude reads it after the step at hand)"
            : busyReason()
              ? "Wait for the run to finish, or cancel it."
              : "Write a message… (Enter sends, Shift+Enter for a new line)"
        }
        value={text()}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        // Read-only, not disabled, while busy: a disabled box drops the keyboard focus to <body>.
        readOnly={busyReason() !== null && !queueing()}
        aria-disabled={busyReason() !== null && !queueing()}
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
              <Show when={!budgetHeld() && failed()}>
                {(last) => (
                  <button
                    type="button"
                    class="btn"
                    disabled={busyReason() !== null}
                    title={`Send “${last().prompt.slice(0, 80)}” again`}
                    onClick={() => void start(last().mode, last().prompt)}
                  >
                    {last().mode === "build" ? "Retry build" : "Retry"}
                  </button>
                )}
              </Show>
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
          <button
            type="button"
            class="btn primary"
            disabled={!queueing() || !text().trim()}
            onClick={() => void start("chat")}
          >
            Send to the running session
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
            askForNotifications(attention);
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
