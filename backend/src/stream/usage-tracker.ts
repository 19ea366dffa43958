// Reports a message's token usage once: the CLI writes one assistant line per block, each with the usage.
import type { Usage } from "@catalyst/shared";

// Message ids whose usage was already reported; old ids are forgotten so memory stays bounded.
const MAX_REMEMBERED_MESSAGES = 4096;

export interface UsageTracker {
  /** The message's usage if no event carried it yet. */
  unreported(messageId: string | null, usage: Usage | null | undefined): Usage | undefined;
  /** Called once an event carries the message's usage. */
  markReported(messageId: string | null): void;
}

export function createUsageTracker(): UsageTracker {
  const reported = new Set<string>();
  return {
    unreported(messageId, usage) {
      if (!usage || (messageId !== null && reported.has(messageId))) return undefined;
      return usage;
    },
    markReported(messageId) {
      if (messageId === null) return;
      reported.add(messageId);
      if (reported.size > MAX_REMEMBERED_MESSAGES) {
        const oldest = reported.values().next().value;
        if (oldest !== undefined) reported.delete(oldest);
      }
    },
  };
}
