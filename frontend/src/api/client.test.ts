import { describe, expect, it } from "vitest";
import { makeApiClient } from "./client.js";

const entry = (seq: number) => ({
  seq,
  ts: "2026-01-01T00:00:00.000Z",
  runId: null,
  event: { type: "notice", level: "info", kind: "t", message: `${seq}` },
});

describe("api client", () => {
  it("follows the history's pages (nextAfter) to the end and returns every entry once", async () => {
    const asked: string[] = [];
    const client = makeApiClient({
      fetch: async (url) => {
        asked.push(url);
        const after = Number(new URL(url, "http://x").searchParams.get("after"));
        const seqs = Array.from({ length: Math.min(3, 7 - after) }, (_, i) => after + i + 1);
        const last = seqs.at(-1) ?? after;
        return new Response(
          JSON.stringify({ events: seqs.map(entry), nextAfter: last < 7 ? last : null }),
        );
      },
    });
    const r = await client.events("abcdefghijklmnopqrstu", 0);
    expect(r.ok && r.value.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(asked.map((u) => u.split("?")[1])).toEqual(["after=0", "after=3", "after=6"]);
  });
});
