// `npm run --silent bench:parse`: the stream decoder's speed against the naive splitter and JSON.parse alone, as JSON.
import { StringDecoder } from "node:string_decoder";
import { createStreamDecoder } from "@catalyst/backend/stream";
import { chunked, deltaStream, mixedStream, prng } from "./bench-parse/mixed-stream.js";

const MB = 1e6;
const MIXED_BYTES = 50 * MB;
const LONG_LINE_BYTES = 16 * 1024 * 1024;
const HEAVY_BYTES = 10 * MB;
const DELTAS_BYTES = 10 * MB;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NAIVE_BUDGET_MS = Number(process.env.BENCH_NAIVE_BUDGET_MS ?? 10_000);

interface Timing {
  ms: number;
  count: number;
}

/**
 * Runs the candidates in turn, RUNS rounds, and keeps each one's median: interleaving spreads the
 * noise of a busy machine evenly over all of them, so their ratios stay fair.
 */
function timeAll<K extends string>(fns: Record<K, () => number>): Record<K, Timing> {
  const keys = Object.keys(fns) as K[];
  const times = new Map<K, number[]>(keys.map((k) => [k, []]));
  const counts = new Map<K, number>();
  for (let r = 0; r < RUNS; r++) {
    for (const k of keys) {
      const t0 = process.hrtime.bigint();
      counts.set(k, fns[k]());
      times.get(k)?.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  const out = {} as Record<K, Timing>;
  for (const k of keys) {
    const ts = (times.get(k) ?? []).sort((a, b) => a - b);
    out[k] = { ms: ts[Math.floor(ts.length / 2)] ?? 0, count: counts.get(k) ?? 0 };
  }
  return out;
}

function decodeAll(chunks: Buffer[]): number {
  const d = createStreamDecoder();
  let n = 0;
  for (const c of chunks) n += d.push(c).length;
  return n + d.end().length;
}

/** The common approach: append decoded text to a string and split it on every chunk. */
function naive(chunks: Buffer[]): number {
  const dec = new StringDecoder("utf8");
  let buffer = "";
  let n = 0;
  for (const c of chunks) {
    buffer += dec.write(c);
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) n += JSON.parse(p) ? 1 : 0;
  }
  buffer += dec.end();
  if (buffer.trim()) n += JSON.parse(buffer) ? 1 : 0;
  return n;
}

/** The naive splitter on the long line is quadratic: stop after a time budget (then the speedup is a lower bound). */
function naiveWithBudget(chunks: Buffer[], budgetMs: number): { ms: number; done: number } {
  const dec = new StringDecoder("utf8");
  let buffer = "";
  const t0 = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
  for (let i = 0; i < chunks.length; i++) {
    buffer += dec.write(chunks[i] ?? Buffer.alloc(0));
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) JSON.parse(p);
    if (i % 64 === 63 && elapsed() > budgetMs) return { ms: elapsed(), done: i + 1 };
  }
  buffer += dec.end();
  if (buffer.trim()) JSON.parse(buffer);
  return { ms: elapsed(), done: chunks.length };
}

function measureMixed(stream: Buffer, rand: () => number) {
  // Chunk sizes 1 B - 64 KiB, log-uniform: many small reads as well as big ones.
  const chunks = chunked(stream, () => Math.max(1, Math.floor(Math.pow(65536, rand()))));
  const lines = stream
    .toString("utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  // A second floor that includes the UTF-8 decoding JSON.parse needs (lines pre-split as bytes).
  const lineBuffers = lines.map((l) => Buffer.from(l));
  const t = timeAll({
    floor: () => {
      let n = 0;
      for (const l of lines) n += JSON.parse(l) ? 1 : 0;
      return n;
    },
    decodeFloor: () => {
      let n = 0;
      for (const b of lineBuffers) n += JSON.parse(b.toString("utf8")) ? 1 : 0;
      return n;
    },
    decoder: () => decodeAll(chunks),
    naive: () => naive(chunks),
  });
  return { chunks: chunks.length, lines: lines.length, ...t };
}

function nonAsciiShare(buf: Buffer): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) if ((buf[i] ?? 0) >= 0x80) n++;
  return Number((n / buf.length).toFixed(4));
}

const mbs = (bytes: number, ms: number) => Number((bytes / MB / (ms / 1000)).toFixed(1));
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));

function main(): void {
  const rand = prng(42);
  const mixed = mixedStream(rand, MIXED_BYTES, 0.02);
  const m = measureMixed(mixed, rand);
  const heavy = mixedStream(rand, HEAVY_BYTES, 0.5);
  const h = measureMixed(heavy, rand);
  const deltas = deltaStream(rand, DELTAS_BYTES);
  const d = measureMixed(deltas, rand);

  const payload = "x".repeat(LONG_LINE_BYTES - 200);
  const longLine = Buffer.from(
    `${JSON.stringify({ type: "user", message: { role: "user", content: [{ tool_use_id: "toolu_01", type: "tool_result", content: payload }] }, parent_tool_use_id: null })}\n`,
  );
  const longChunks = chunked(longLine, () => 1024);
  const longDecoder = timeAll({ decoder: () => decodeAll(longChunks) }).decoder;
  const naiveLong = naiveWithBudget(longChunks, NAIVE_BUDGET_MS);
  const naiveFinished = naiveLong.done === longChunks.length;

  const result = {
    mixed_mb_s: mbs(mixed.length, m.decoder.ms),
    mixed_vs_floor: ratio(m.decoder.ms, m.floor.ms),
    long_line_mb_s: mbs(longLine.length, longDecoder.ms),
    long_line_speedup_vs_naive: Number((naiveLong.ms / longDecoder.ms).toFixed(1)),
    long_line_speedup_is_lower_bound: !naiveFinished,
    mixed_vs_decode_and_parse_floor: ratio(m.decoder.ms, m.decodeFloor.ms),
    mixed_ns_per_line: Math.round((m.decoder.ms * 1e6) / m.lines),
    floor_mb_s: mbs(mixed.length, m.floor.ms),
    floor_ns_per_line: Math.round((m.floor.ms * 1e6) / m.lines),
    decode_and_parse_floor_mb_s: mbs(mixed.length, m.decodeFloor.ms),
    naive_mixed_mb_s: mbs(mixed.length, m.naive.ms),
    mixed_speedup_vs_naive: ratio(m.naive.ms, m.decoder.ms),
    mixed_bytes: mixed.length,
    mixed_lines: m.lines,
    mixed_chunks: m.chunks,
    mixed_events: m.decoder.count,
    mixed_non_ascii_byte_share: nonAsciiShare(mixed),
    unicode_heavy_mb_s: mbs(heavy.length, h.decoder.ms),
    unicode_heavy_vs_floor: ratio(h.decoder.ms, h.floor.ms),
    unicode_heavy_vs_decode_and_parse_floor: ratio(h.decoder.ms, h.decodeFloor.ms),
    unicode_heavy_bytes: heavy.length,
    unicode_heavy_non_ascii_byte_share: nonAsciiShare(heavy),
    deltas_vs_floor: ratio(d.decoder.ms, d.floor.ms),
    deltas_vs_decode_and_parse_floor: ratio(d.decoder.ms, d.decodeFloor.ms),
    deltas_ns_per_line: Math.round((d.decoder.ms * 1e6) / d.lines),
    deltas_floor_ns_per_line: Math.round((d.floor.ms * 1e6) / d.lines),
    deltas_lines: d.lines,
    long_line_bytes: longLine.length,
    long_line_chunks: longChunks.length,
    long_line_decoder_ms: Number(longDecoder.ms.toFixed(2)),
    long_line_naive_ms: Number(naiveLong.ms.toFixed(1)),
    long_line_naive_chunks_done: naiveLong.done,
    goals: { long_line_speedup_vs_naive: ">= 20", mixed_vs_floor: "<= 1.5" },
    runs: RUNS,
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main();
