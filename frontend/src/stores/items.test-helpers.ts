// Readers for a transcript store's items in tests (the texts, a tool card, the notice lines), and
// the status notice the CLI sends before every model request.
import { ev } from "./fixtures.js";
import type { Item, StreamedItem, ToolItem } from "./transcript.js";

export const texts = (items: Item[]) =>
  items.filter((i): i is StreamedItem => i.kind === "text").map((i) => i.text());

export const tool = (items: Item[], id: string) =>
  items.find((i): i is ToolItem => i.kind === "tool" && i.id === id);

/** The notice lines as "level: message". */
export const notices = (items: Item[]) =>
  items.flatMap((i) => (i.kind === "notice" ? [`${i.level}: ${i.message}`] : []));

/** The "requesting" status line the CLI sends before each model request. */
export const requesting = () =>
  ev.notice("status", "info", "Status: requesting", {
    type: "system",
    subtype: "status",
    status: "requesting",
  });
