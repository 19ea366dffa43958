// bench:ui: gzipped size of the built page, and how long headless Chromium takes to show a
// 5,000-event transcript (history load and live stream), against a 500-event baseline in the same run.
// The page is the real build; a small local server stands in for the backend (HTTP + WebSocket),
// so only the page's own work is measured. Prints one JSON object.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readdir, readFile, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { AddressInfo } from "node:net";
import { build } from "vite";
import { WebSocketServer, type WebSocket } from "ws";
import type { Browser } from "playwright-core";
import { launchChromium } from "@catalyst/backend/testing/chromium";
import {
  resultEvent,
  runFinished,
  runStarted,
  type TranscriptEntry,
  type TranscriptEvent,
} from "@catalyst/shared";

const frontendDir = fileURLToPath(new URL("../frontend", import.meta.url));
const IDEA = "BENCHbenchBENCHbench0";
const RUNS = 3;

/** A realistic mix per turn: a prompt, streamed text, a tool call and result, the result, a footer. */
function transcript(total: number): TranscriptEntry[] {
  const out: TranscriptEntry[] = [];
  let seq = 0;
  let turn = 0;
  const push = (runId: string, event: TranscriptEvent) =>
    out.push({ seq: ++seq, ts: new Date(1_700_000_000_000 + seq).toISOString(), runId, event });
  while (seq < total) {
    const runId = `run-${++turn}`;
    const m = `msg-${turn}`;
    push(
      runId,
      runStarted({
        runId,
        mode: "chat",
        prompt: `Question ${turn}: what next?`,
        target: "local",
        startedAt: "2026-01-01T00:00:00Z",
      }),
    );
    for (let i = 0; i < 8; i++)
      push(runId, {
        type: "text_delta",
        messageId: m,
        index: 0,
        text: `Part ${i} of answer ${turn}, with \`code\` and **bold**. `,
      });
    push(runId, {
      type: "text",
      messageId: m,
      text: Array.from(
        { length: 8 },
        (_, i) => `Part ${i} of answer ${turn}, with \`code\` and **bold**. `,
      ).join(""),
    });
    push(runId, {
      type: "tool_use",
      messageId: `${m}-t`,
      id: `tool-${turn}`,
      name: "Read",
      input: { file_path: `/src/file-${turn}.ts` },
    });
    push(runId, {
      type: "tool_result",
      toolUseId: `tool-${turn}`,
      content: `export const n = ${turn};\n`.repeat(20),
      isError: false,
    });
    push(runId, {
      type: "text",
      messageId: `${m}-2`,
      text: `Done with step ${turn}.\n\n\`\`\`ts\nconst step = ${turn};\n\`\`\``,
    });
    push(runId, resultEvent({ costUsd: 0.01, durationMs: 900, numTurns: 2 }));
    push(runId, runFinished({ runId, outcome: "completed", exitCode: 0, durationMs: 1000 }));
  }
  // The last event is a marker the page shows, so "rendered" is observable.
  out.length = total - 1;
  seq = total - 1;
  push("run-last", { type: "text", messageId: "last", text: `THE-END-${total}` });
  return out;
}

type Stub = { history: TranscriptEntry[]; live: TranscriptEntry[] };

async function startStub(dist: string) {
  let stub: Stub = { history: [], live: [] };
  const sockets = new Set<WebSocket>();
  const meta = {
    id: IDEA,
    title: "Bench idea",
    description: "",
    status: "chatting",
    sessionId: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    totalCostUsd: 1,
    runs: 1,
    activeRunId: null,
  };
  const json = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const p = url.pathname;
    if (p === "/api/ideas") return json(res, [meta]);
    if (p === `/api/ideas/${IDEA}`) return json(res, meta);
    if (p === `/api/ideas/${IDEA}/events`) return json(res, { events: stub.history });
    if (p === "/api/health")
      return json(res, {
        ok: true,
        target: "local",
        cliFound: true,
        cliVersion: "bench",
        cliError: null,
      });
    const file = join(dist, p === "/" ? "index.html" : p);
    if (!file.startsWith(dist) || !existsSync(file)) return res.writeHead(404).end();
    const type =
      { ".js": "text/javascript", ".css": "text/css", ".html": "text/html" }[extname(file)] ??
      "application/octet-stream";
    res.writeHead(200, { "content-type": type });
    res.end(await readFile(file));
  });
  const wss = new WebSocketServer({ server, path: "/api/ws" });
  wss.on("connection", (ws) => {
    sockets.add(ws);
    ws.on("close", () => sockets.delete(ws));
    ws.on("message", (data) => {
      const msg: unknown = JSON.parse(String(data));
      if (typeof msg === "object" && msg !== null && "type" in msg && msg.type === "subscribe") {
        for (const e of stub.live) ws.send(JSON.stringify({ type: "event", ideaId: IDEA, ...e }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(s: Stub) {
      stub = s;
    },
    async close() {
      for (const s of sockets) s.terminate();
      wss.close();
      await new Promise((r) => server.close(r));
    },
  };
}

/** Opens the idea in a fresh page and returns ms from opening it to the last event on screen. */
async function timeOpen(browser: Browser, url: string, total: number) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(`${url}/#/`);
  await page.locator(".idea-item").waitFor();
  // In-page code is passed as strings: this script is type-checked without the DOM library.
  await page.evaluate(`
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: "longtask" });
  `);
  const t0 = Number(
    await page.evaluate(`(() => {
      const t = performance.now();
      location.hash = "#/idea/${IDEA}";
      return t;
    })()`),
  );
  const handle = await page.waitForFunction(
    `document.body.textContent.includes("THE-END-${total}") ? performance.now() : false`,
    undefined,
    { polling: "raf", timeout: 120_000 },
  );
  const t1 = Number(await handle.jsonValue());
  const longest = Number(await page.evaluate("window.__longest"));
  await page.close();
  return { ms: t1 - t0, longestTaskMs: longest };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const round = (n: number) => Math.round(n * 10) / 10;

async function measure(
  browser: Browser,
  stub: Awaited<ReturnType<typeof startStub>>,
  mode: "history" | "live",
  total: number,
) {
  const events = transcript(total);
  stub.set(mode === "history" ? { history: events, live: [] } : { history: [], live: events });
  const ms: number[] = [];
  const longest: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await timeOpen(browser, stub.url, total);
    ms.push(r.ms);
    longest.push(r.longestTaskMs);
  }
  return { events: total, medianMs: round(median(ms)), longestTaskMs: round(Math.max(...longest)) };
}

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), "catalyst-bench-ui-"));
  const dist = join(tmp, "dist");
  await build({
    root: frontendDir,
    configFile: join(frontendDir, "vite.config.ts"),
    logLevel: "silent",
    build: { outDir: dist, emptyOutDir: true },
  });
  const assets = await readdir(join(dist, "assets"));
  const size = async (ext: string) => {
    let raw = 0;
    let gz = 0;
    for (const f of assets.filter((a) => a.endsWith(ext))) {
      const buf = await readFile(join(dist, "assets", f));
      raw += buf.length;
      gz += gzipSync(buf, { level: 9 }).length;
    }
    return { bytes: raw, gzipBytes: gz };
  };
  const bundle = { js: await size(".js"), css: await size(".css") };

  const stub = await startStub(dist);
  const browser = await launchChromium();
  try {
    await measure(browser, stub, "history", 500); // warm-up: browser caches and JIT, not counted
    const history500 = await measure(browser, stub, "history", 500);
    const history5000 = await measure(browser, stub, "history", 5000);
    const live500 = await measure(browser, stub, "live", 500);
    const live5000 = await measure(browser, stub, "live", 5000);
    console.log(
      JSON.stringify(
        {
          bundle,
          totalGzipKB: round((bundle.js.gzipBytes + bundle.css.gzipBytes) / 1024),
          runsPerFigure: RUNS,
          history: {
            baseline: history500,
            large: history5000,
            ratio: round(history5000.medianMs / history500.medianMs),
          },
          live: {
            baseline: live500,
            large: live5000,
            ratio: round(live5000.medianMs / live500.medianMs),
          },
          notes:
            "ms from opening the idea to the last event on screen (median); history = one GET of the transcript; live = every event as its own WebSocket frame; longestTaskMs = longest main-thread task seen",
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await stub.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
