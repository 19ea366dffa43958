// A tool call waiting for approval: what it would do, Claude's reason, and Allow once / Always
// allow (naming the rule) / Deny with an optional message.
import { createSignal, Match, Show, Switch } from "solid-js";
import type { ApprovalItem } from "../stores/transcript.js";
import { requestDetail } from "../stores/approval-view.js";
import { AnswerStatus, createAnswer } from "./answer-context.js";
import { CodeSpans } from "./CodeSpans.js";
import { Folded } from "./Folded.js";
import { LongText } from "./LongText.js";

function inputText(input: unknown): string {
  try {
    return JSON.stringify(input, null, 2) ?? "";
  } catch {
    return String(input);
  }
}

/** "Claude wants to run a command": what a person is asked, in their words, by tool. */
function askLine(toolName: string, kind: string): string {
  if (kind === "command") return "Claude wants to run a command";
  if (toolName === "Write") return "Claude wants to write a file";
  if (toolName === "Edit" || toolName === "MultiEdit" || toolName === "NotebookEdit") {
    return "Claude wants to edit a file";
  }
  return `Claude wants to use ${toolName}`;
}

export function ApprovalForm(props: {
  item: ApprovalItem;
  always: string | null;
  titleId: string;
}) {
  const item = props.item;
  const detail = requestDetail(item.toolName, item.input);
  const { busy, error, submit: answer } = createAnswer(item.requestId);
  const [denying, setDenying] = createSignal(false);
  const [message, setMessage] = createSignal("");
  let denyButton: HTMLButtonElement | undefined;

  const deny = () => {
    const words = message().trim();
    void answer({ decision: "deny", scope: "once", ...(words ? { message: words } : {}) });
  };
  // Claude's reason, unless it only repeats the command's own description shown below it.
  const reason = () =>
    item.description && !(detail.kind === "command" && detail.description === item.description)
      ? item.description
      : null;

  return (
    <>
      <div class="request-head">
        <span class="request-icon" aria-hidden="true">
          ?
        </span>
        <span id={props.titleId}>{askLine(item.toolName, detail.kind)}</span>
        <span class="tool-name">{item.displayName}</span>
      </div>
      <Show when={reason()}>
        <p class="request-reason">{reason()}</p>
      </Show>
      <Switch>
        <Match when={detail.kind === "command" && detail}>
          {(d) => (
            <>
              <Show when={d().description}>
                <p class="request-reason">{d().description}</p>
              </Show>
              <pre class="request-command" aria-label="Command">
                {d().command}
              </pre>
            </>
          )}
        </Match>
        <Match when={detail.kind === "file" && detail}>
          {(d) => (
            <>
              <code class="request-path">{item.summary || d().path}</code>
              <Show when={d().replaced !== null || d().content !== null}>
                <Folded
                  class="request-content"
                  label={<span>{d().replaced !== null ? "The change" : "What goes in it"}</span>}
                >
                  {() => (
                    <>
                      <Show when={d().replaced !== null}>
                        <div class="tool-section">Replaces</div>
                        <LongText text={d().replaced ?? ""} />
                        <div class="tool-section">With</div>
                      </Show>
                      <LongText text={d().content ?? ""} />
                    </>
                  )}
                </Folded>
              </Show>
            </>
          )}
        </Match>
        <Match when={detail.kind === "other"}>
          <Show when={item.summary}>
            <code class="request-path">{item.summary}</code>
          </Show>
          <Folded class="request-content" label={<span>Input</span>}>
            {() => <LongText text={inputText(item.input)} />}
          </Folded>
        </Match>
      </Switch>
      <Show when={item.decisionReason}>
        <p class="request-why">{item.decisionReason}</p>
      </Show>
      <div class="request-actions">
        <button
          type="button"
          class="btn primary"
          disabled={busy()}
          onClick={() => void answer({ decision: "allow", scope: "once" })}
        >
          Allow once
        </button>
        <Show when={props.always}>
          {(label) => (
            <button
              type="button"
              class="btn"
              disabled={busy()}
              onClick={() => void answer({ decision: "allow", scope: "always" })}
            >
              <CodeSpans text={label()} />
            </button>
          )}
        </Show>
        <button
          type="button"
          class="btn danger-text"
          ref={(el) => (denyButton = el)}
          disabled={busy()}
          aria-expanded={denying()}
          onClick={() => setDenying(!denying())}
        >
          Deny…
        </button>
      </div>
      <Show when={denying()}>
        <form
          class="request-deny"
          onSubmit={(e) => {
            e.preventDefault();
            deny();
          }}
        >
          <label>
            <span>Tell Claude why, or what to do instead (optional)</span>
            <input
              type="text"
              value={message()}
              onInput={(e) => setMessage(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key !== "Escape") return;
                e.stopPropagation();
                setDenying(false);
                denyButton?.focus();
              }}
              ref={(el) => queueMicrotask(() => el.focus())}
            />
          </label>
          <button type="submit" class="btn danger" disabled={busy()}>
            Deny
          </button>
        </form>
      </Show>
      <AnswerStatus busy={busy()} error={error()} />
    </>
  );
}
