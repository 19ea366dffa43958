// The transcript's requests for a person (tool approvals, Claude's questions) and their answers.
import { createSignal, type Setter } from "solid-js";
import type { TranscriptEvent } from "@catalyst/shared";
import type { Container } from "./transcript-container.js";
import type { ApprovalItem } from "./transcript-items.js";
import { keyArgument } from "./tool-view.js";
import { QUESTION_TOOL, type AnswerView } from "./approval-view.js";

type Ev<T extends TranscriptEvent["type"]> = Extract<TranscriptEvent, { type: T }>;

type RequestState = {
  item: ApprovalItem;
  setAnswer: Setter<AnswerView | null>;
  setExpired: Setter<boolean>;
};

export type ApprovalRegistry = ReturnType<typeof createApprovalRegistry>;

export function createApprovalRegistry() {
  const requests = new Map<string, RequestState>();
  const [pending, setPending] = createSignal<ApprovalItem[]>([]);
  const dropPending = (requestId: string) =>
    setPending((p) =>
      p.some((i) => i.requestId === requestId) ? p.filter((i) => i.requestId !== requestId) : p,
    );

  return {
    /** Requests still waiting for an answer, oldest first. */
    pending,
    /** A request becomes a card in the chat itself, even from a subagent: its group is folded. */
    add(root: Container, seq: number, ev: Ev<"permission_request">, cwd: string | null) {
      if (requests.has(ev.requestId)) return;
      const [answer, setAnswer] = createSignal<AnswerView | null>(null);
      const [expired, setExpired] = createSignal(false);
      const item: ApprovalItem = {
        kind: "approval",
        key: `p${seq}`,
        requestId: ev.requestId,
        toolName: ev.toolName,
        displayName: ev.displayName ?? ev.toolName,
        toolUseId: ev.toolUseId,
        input: ev.input,
        description: ev.description,
        decisionReason: ev.decisionReason,
        alwaysRules: ev.alwaysRules,
        isQuestion: ev.requiresUserInteraction || ev.toolName === QUESTION_TOOL,
        summary: keyArgument(ev.input, cwd),
        answer,
        expired,
      };
      requests.set(ev.requestId, { item, setAnswer, setExpired });
      setPending((p) => [...p, item]);
      root.push(item);
    },
    /** The request answered, or null when no such request is known. */
    answered(ev: Ev<"permission_answered">): ApprovalItem | null {
      const r = requests.get(ev.requestId);
      if (!r) return null;
      const { decision, scope, by, message, answers } = ev;
      r.setAnswer({ decision, scope, by, message, answers });
      dropPending(ev.requestId);
      return r.item;
    },
    /** The run ended: requests nobody answered will never be. */
    expirePending() {
      for (const item of pending()) requests.get(item.requestId)?.setExpired(true);
      setPending([]);
    },
  };
}
