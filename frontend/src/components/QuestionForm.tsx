// Claude's questions (AskUserQuestion): each with its options (one, or several when multiSelect)
// and "Other" in the person's own words; sent as allow with `answers: {question: label}`.
import { createSignal, For, Show } from "solid-js";
import type { ApprovalItem } from "../stores/transcript.js";
import { questionsOf, type Question } from "../stores/approval-view.js";
import { AnswerStatus, createAnswer } from "./answer-context.js";

/** One question's answer so far: the chosen labels, and the "Other" text when Other is chosen. */
type Choice = { labels: string[]; other: boolean; otherText: string };

/** The answer as the CLI takes it: the label, several joined by ", ", or the person's own words. */
export function answerText(c: Choice): string {
  const parts = [...c.labels];
  if (c.other && c.otherText.trim()) parts.push(c.otherText.trim());
  return parts.join(", ");
}

export function QuestionForm(props: { item: ApprovalItem; titleId: string }) {
  const item = props.item;
  const questions = questionsOf(item.input);
  const [choices, setChoices] = createSignal<Choice[]>(
    questions.map(() => ({ labels: [], other: false, otherText: "" })),
  );
  const { busy, error, submit } = createAnswer(item.requestId);
  const complete = () => questions.length > 0 && choices().every((c) => answerText(c) !== "");

  const update = (i: number, f: (c: Choice) => Choice) =>
    setChoices((cs) => cs.map((c, j) => (j === i ? f(c) : c)));

  const answerAll = () => {
    if (!complete()) return;
    const answers: Record<string, string> = {};
    questions.forEach((q, i) => {
      const c = choices()[i];
      if (c) answers[q.question] = answerText(c);
    });
    void submit({ decision: "allow", scope: "once", answers });
  };

  return (
    <form
      class="question-form"
      onSubmit={(e) => {
        e.preventDefault();
        answerAll();
      }}
    >
      <div class="request-head">
        <span class="request-icon" aria-hidden="true">
          ?
        </span>
        <span id={props.titleId}>
          {questions.length === 1
            ? "Claude asks you"
            : `Claude asks you ${questions.length} things`}
        </span>
      </div>
      <Show when={questions.length === 0}>
        <p class="request-reason">Claude asked something this page cannot show.</p>
      </Show>
      <For each={questions}>
        {(q, i) => (
          <QuestionFields
            q={q}
            name={`${item.requestId}-${i()}`}
            choice={choices()[i()] ?? { labels: [], other: false, otherText: "" }}
            onChange={(f) => update(i(), f)}
          />
        )}
      </For>
      <div class="request-actions">
        <button type="submit" class="btn primary" disabled={busy() || !complete()}>
          {questions.length > 1 ? "Send answers" : "Send answer"}
        </button>
        <button
          type="button"
          class="btn"
          disabled={busy()}
          onClick={() =>
            void submit({
              decision: "deny",
              scope: "once",
              message: "The person chose not to answer.",
            })
          }
        >
          Don't answer
        </button>
      </div>
      <AnswerStatus busy={busy()} error={error()} />
    </form>
  );
}

function QuestionFields(props: {
  q: Question;
  name: string;
  choice: Choice;
  onChange: (f: (c: Choice) => Choice) => void;
}) {
  const multi = props.q.multiSelect;
  const type = multi ? "checkbox" : "radio";
  const pick = (label: string, on: boolean) =>
    props.onChange((c) =>
      multi
        ? { ...c, labels: on ? [...c.labels, label] : c.labels.filter((l) => l !== label) }
        : { ...c, labels: on ? [label] : [], other: false },
    );
  const pickOther = (on: boolean) =>
    props.onChange((c) => (multi ? { ...c, other: on } : { ...c, labels: [], other: on }));
  return (
    <fieldset class="question">
      <legend>
        <Show when={props.q.header}>
          <span class="question-header">{props.q.header}</span>
        </Show>
        {props.q.question}
        <Show when={multi}>
          <span class="muted"> (choose any)</span>
        </Show>
      </legend>
      <For each={props.q.options}>
        {(o) => (
          <label class="question-option">
            <input
              type={type}
              name={props.name}
              checked={props.choice.labels.includes(o.label)}
              onChange={(e) => pick(o.label, e.currentTarget.checked)}
            />
            <span>
              <span class="option-label">{o.label}</span>
              <Show when={o.description}>
                <span class="option-description muted">{o.description}</span>
              </Show>
            </span>
          </label>
        )}
      </For>
      <label class="question-option other">
        <input
          type={type}
          name={props.name}
          checked={props.choice.other}
          onChange={(e) => pickOther(e.currentTarget.checked)}
          aria-label="Other"
        />
        <input
          type="text"
          class="other-text"
          placeholder="Other…"
          aria-label={`Other answer to: ${props.q.question}`}
          value={props.choice.otherText}
          onInput={(e) => {
            const text = e.currentTarget.value;
            props.onChange((c) =>
              multi
                ? { ...c, other: text.trim() !== "", otherText: text }
                : { labels: [], other: true, otherText: text },
            );
          }}
        />
      </label>
    </fieldset>
  );
}
