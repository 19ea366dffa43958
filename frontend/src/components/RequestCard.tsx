// A request for the person in the chat: the approval or question form while it waits, then the
// answer in one line (whoever gave it: this page, another viewer, the policy or the timeout).
import { For, Match, onCleanup, onMount, Show, Switch } from "solid-js";
import type { ApprovalItem } from "../stores/transcript.js";
import { alwaysLabel, answerLine, type AnswerView } from "../stores/approval-view.js";
import { ApprovalForm } from "./ApprovalForm.js";
import { CodeSpans } from "./CodeSpans.js";
import { QuestionForm } from "./QuestionForm.js";

/**
 * Whether a new card may take the keyboard focus: not from someone typing (a text field with
 * text in it), and not from another request card they are answering.
 */
export function focusIsFree(active: Element | null = document.activeElement): boolean {
  if (!active || active === document.body) return true;
  if (active.closest(".request.pending")) return false;
  if (active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement) {
    return active.value.trim() === "";
  }
  return !(active instanceof HTMLElement && active.isContentEditable);
}

export function RequestCard(props: { item: ApprovalItem }) {
  const item = props.item;
  const isQuestion = item.isQuestion;
  const always = alwaysLabel(item.alwaysRules);
  return (
    <Switch>
      <Match when={item.answer()}>
        {(a) => <AnsweredLine item={item} answer={a()} always={always} />}
      </Match>
      <Match when={item.expired()}>
        <div class="request done expired">
          <span class="request-mark" aria-hidden="true">
            –
          </span>
          <span class="tool-name">{isQuestion ? "Question" : item.displayName}</span>
          <span class="tool-arg">{item.summary}</span>
          <span class="request-outcome">Not answered: the run ended</span>
        </div>
      </Match>
      <Match when={true}>
        <PendingCard item={item} isQuestion={isQuestion} always={always} />
      </Match>
    </Switch>
  );
}

function PendingCard(props: { item: ApprovalItem; isQuestion: boolean; always: string | null }) {
  let card: HTMLDivElement | undefined;
  // The run is waiting on this: bring the keyboard here unless the person is busy elsewhere.
  onMount(() => {
    if (card && focusIsFree()) card.focus({ preventScroll: true });
  });
  // Answered: the card becomes a line and its focused button goes with it. The keyboard moves on
  // to the next waiting card, else back to the composer, instead of falling to <body>.
  onCleanup(() => {
    const active = document.activeElement;
    const hadFocus = active === null || active === document.body || card?.contains(active);
    if (!hadFocus) return;
    queueMicrotask(() => {
      const next =
        document.querySelector<HTMLElement>(".request.pending") ??
        document.querySelector<HTMLElement>(".composer textarea");
      next?.focus({ preventScroll: true });
    });
  });
  const titleId = `request-${props.item.requestId}`;
  return (
    <div
      ref={(el) => (card = el)}
      class={`request pending ${props.isQuestion ? "question" : "approval"}`}
      role="group"
      aria-labelledby={titleId}
      tabindex="-1"
      data-request={props.item.requestId}
    >
      <Show
        when={props.isQuestion}
        fallback={<ApprovalForm item={props.item} always={props.always} titleId={titleId} />}
      >
        <QuestionForm item={props.item} titleId={titleId} />
      </Show>
    </div>
  );
}

function AnsweredLine(props: { item: ApprovalItem; answer: AnswerView; always: string | null }) {
  const isQuestion = props.item.isQuestion;
  const a = props.answer;
  const answers = Object.entries(a.answers ?? {});
  return (
    <div class={`request done decision-${a.decision}`} data-request={props.item.requestId}>
      <span class="request-mark" aria-hidden="true">
        {a.decision === "allow" ? "✓" : "✕"}
      </span>
      <span class="tool-name">{isQuestion ? "Question" : props.item.displayName}</span>
      <Show when={!isQuestion}>
        <span class="tool-arg">{props.item.summary}</span>
      </Show>
      <span class="request-outcome">
        <CodeSpans text={answerLine(a, props.always, isQuestion)} />
      </span>
      <Show when={a.message && a.decision === "deny"}>
        <span class="request-words">“{a.message}”</span>
      </Show>
      <Show when={answers.length > 0}>
        <ul class="request-answers">
          <For each={answers}>
            {([q, v]) => (
              <li>
                <span class="muted">{q}</span> {v}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
