// One parsed CLI line -> the events the product shows: dispatches on the line's type.
import type { ClaudeEvent } from "@catalyst/shared";
import { mapAssistantLine } from "./map-assistant.js";
import { isRecord, parentOf, pushUnknown } from "./map-common.js";
import { mapControlRequestLine, mapControlResponseLine } from "./map-control.js";
import { mapResultLine } from "./map-result.js";
import { createStreamEventMapper } from "./map-stream-event.js";
import { mapRateLimitLine, mapSystemLine } from "./map-system.js";
import { mapToolResultLine, mapUserLine } from "./map-user.js";
import { createUsageTracker } from "./usage-tracker.js";

export interface LineMapper {
  /** Appends the events for one parsed JSON line to `out`. Never throws. */
  map(value: unknown, out: ClaudeEvent[]): void;
}

/** Holds what mapping needs across lines: reported usage, each agent's streamed message id. */
export function createLineMapper(): LineMapper {
  const usage = createUsageTracker();
  const streamEvents = createStreamEventMapper();

  function mapValue(value: unknown, out: ClaudeEvent[]): void {
    if (!isRecord(value) || typeof value.type !== "string") return pushUnknown(value, null, out);
    switch (value.type) {
      case "assistant":
        return mapAssistantLine(value, usage, out);
      case "user":
        return mapUserLine(value, out);
      case "tool_result":
        return mapToolResultLine(value, out);
      case "result":
        return mapResultLine(value, out);
      case "stream_event":
        return streamEvents.map(value, out);
      case "rate_limit_event":
        return mapRateLimitLine(value, out);
      case "system":
        return mapSystemLine(value, out);
      case "control_request":
        return mapControlRequestLine(value, out);
      case "control_response":
        return mapControlResponseLine(value, out);
      default:
        return pushUnknown(value, parentOf(value), out);
    }
  }

  return {
    map(value, out) {
      try {
        mapValue(value, out);
      } catch {
        // Defensive: a bug in a mapper must not stop the stream; the line is kept whole.
        pushUnknown(value, null, out);
      }
    },
  };
}
