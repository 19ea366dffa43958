// An idea's chat: its history on open, then live, with the header and the composer.
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { useApp } from "../context.js";
import { describeError } from "../api/messages.js";
import { createAttention } from "../stores/attention.js";
import { AnswerProvider } from "./answer-context.js";
import { BudgetDialog } from "./BudgetDialog.js";
import { Composer } from "./Composer.js";
import { ConnectAccount } from "./ConnectAccount.js";
import { IdeaAbout } from "./IdeaAbout.js";
import { IdeaHeader } from "./IdeaHeader.js";
import { MessageList } from "./MessageList.js";
import { RunAnnouncer } from "./RunAnnouncer.js";
import { WaitingBar } from "./WaitingBar.js";
import { footerLine } from "./RunFooter.js";

export function Chat(props: { ideaId: string; onBack: () => void }) {
  const app = useApp();
  const t = app.transcript(props.ideaId);
  const idea = () => app.ideas[1].byId(props.ideaId);
  const [loading, setLoading] = createSignal(true);
  const [budgetOpen, setBudgetOpen] = createSignal(false);
  let unsubscribe: (() => void) | undefined;
  let disposed = false;

  onMount(async () => {
    // History first in one request (one render), then the socket from the last seq on: no gap.
    const r = await app.api.events(props.ideaId, t.lastSeq());
    if (disposed) return;
    if (r.ok) t.apply(r.value);
    else t.addError(`Could not load the history: ${describeError(r.error)}`);
    setLoading(false);
    unsubscribe = app.live.subscribe(props.ideaId);
  });
  onCleanup(() => {
    disposed = true;
    unsubscribe?.();
  });
  const running = () => Boolean(idea()?.activeRunId) || t.activeRun() !== null;
  // The tab says which idea it is, whether Claude is at work in it, and (in the background)
  // whether it waits for the person or has finished.
  createAttention(app.attention, {
    transcript: t,
    ideaTitle: () => idea()?.title,
    running,
    ready: () => !loading(),
    footerLine,
  });

  return (
    <section class="chat" aria-label="Chat">
      <Show
        when={idea()}
        fallback={
          <Show when={app.ideas[0].loaded} fallback={<p class="muted empty">Loading…</p>}>
            {/* Deleted elsewhere: on a phone the list is hidden, so the way back is here. */}
            <div class="empty gone">
              <p class="muted">This idea does not exist (any more).</p>
              <button type="button" class="btn" onClick={() => props.onBack()}>
                ← Back to ideas
              </button>
            </div>
          </Show>
        }
      >
        {(meta) => (
          <>
            <IdeaHeader
              idea={meta()}
              running={running()}
              onBudget={() => setBudgetOpen(true)}
              onBack={props.onBack}
              onDeleted={props.onBack}
            />
            <IdeaAbout idea={meta()} />
            <AnswerProvider ideaId={props.ideaId}>
              <MessageList
                transcript={t}
                onRaiseBudget={() => setBudgetOpen(true)}
                empty={
                  loading()
                    ? "Loading the history…"
                    : "Say what the idea is about; Claude will help you shape it. When it is clear, press Build."
                }
              />
            </AnswerProvider>
            <ConnectAccount items={t.items()} onConnect={() => app.openAccount?.()} />
            <WaitingBar transcript={t} />
            <Composer ideaId={props.ideaId} transcript={t} />
            <RunAnnouncer transcript={t} ready={!loading()} />
            <Show when={budgetOpen()}>
              <BudgetDialog idea={meta()} onClose={() => setBudgetOpen(false)} />
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
