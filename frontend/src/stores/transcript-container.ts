// One list of transcript items (the chat, or a subagent group) and what still streams into it.
import { createSignal, type Accessor, type Setter } from "solid-js";
import type { Item, StreamedItem } from "./transcript-items.js";

/** A block still streaming: `deltaKey` is its kind, message id and block index. */
export type OpenStream = {
  item: StreamedItem;
  set: Setter<string>;
  deltaKey: string;
  index: number | null;
};

/** A list of items (the chat, or a subagent group) plus what is still streaming into it. */
export class Container {
  readonly arr: Item[] = [];
  readonly open: OpenStream[] = [];
  lastOutput: { item: Item; push: (line: string) => void } | null = null;
  /** The retry notice a following retry replaces, while nothing came after it. */
  lastRetry: Item | null = null;
  private readonly sig = createSignal<Item[]>([]);
  dirty = false;
  get items(): Accessor<Item[]> {
    return this.sig[0];
  }
  push(item: Item) {
    this.arr.push(item);
    this.lastOutput = null;
    this.lastRetry = null;
    this.dirty = true;
  }
  replaceLast(item: Item) {
    this.arr[this.arr.length - 1] = item;
    this.dirty = true;
  }
  flush() {
    if (!this.dirty) return;
    this.dirty = false;
    this.sig[1](this.arr.slice());
  }
}
