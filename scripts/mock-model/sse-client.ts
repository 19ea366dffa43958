// A tiny SSE reader for tests and tools: turns a `text/event-stream` body into `{ event, data }`.
export interface ReceivedEvent {
  event: string;
  data: unknown;
}

export function parseSse(text: string): ReceivedEvent[] {
  const out: ReceivedEvent[] = [];
  for (const frame of text.split("\n\n")) {
    let event = "message";
    const data: string[] = [];
    for (const line of frame.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data.push(line.slice(6));
    }
    if (data.length > 0) out.push({ event, data: JSON.parse(data.join("\n")) });
  }
  return out;
}
