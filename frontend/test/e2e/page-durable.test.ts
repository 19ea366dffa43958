// Durable runs as a person sees them (issue #11), in Chromium: the server is its own process on a
// real sshd target, stopped (SIGTERM, then kill -9) and started again mid-build, while the page stays
// open. The page must pick the run up live, say what happened, show every line of the answer once,
// and a cancel after the restart must leave nothing of the run on the target.
import { readdirSync } from "node:fs";
import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ideaMetaSchema, runAcceptedSchema } from "@catalyst/shared";
import { requireService } from "@catalyst/backend/testing/require-service";
import { killRunsUnder, runProcessesAfter } from "@catalyst/backend/testing/run-processes";
import {
  loginCookie,
  sessionApi,
  sshTargetEnv,
  startServerProcess,
  type ServerProcess,
} from "@catalyst/backend/testing/server-process";
import { sshdAvailable, startSshd, type SshdHandle } from "@catalyst/backend/testing/sshd";
import { buildPage, launchChromium, screenshotDir } from "./harness.js";
import { DESKTOP, footers, hasChromium, PHONE } from "./page-helpers.js";

const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");
const APP_KEY = "durable-page-key-0123456789";

describe.skipIf(!hasChromium || !hasSshd)(
  "durable runs in the page (real sshd, server restarts)",
  () => {
    let sshd: SshdHandle;
    let dir: string;
    let browser: Browser;
    let server: ServerProcess | undefined;
    let port = 0;
    let cookie = "";

    const start = async () => {
      server = await startServerProcess({
        appKey: APP_KEY,
        dataDir: join(dir, "data"),
        cwd: dir,
        port,
        env: {
          ...sshTargetEnv(sshd),
          REMOTE_ROOT: join(dir, "remote"),
          CLAUDE_ENV: `HOME=${join(dir, "home")}`,
          CANCEL_GRACE_MS: "2000",
        },
      });
      port = server.port;
      if (!cookie) cookie = await loginCookie(server.url, APP_KEY);
      return server;
    };
    const api = (path: string, method?: string, body?: unknown) => {
      if (!server) throw new Error("no server");
      return sessionApi(server.url, cookie)(path, method, body);
    };

    beforeAll(async () => {
      await mkdir(screenshotDir, { recursive: true });
      sshd = await startSshd();
      dir = await realpath(await mkdtemp(join(tmpdir(), "catalyst-durable-page-")));
      // The server process serves frontend/dist (as `npm start` does, it is built first): the page
      // under test is this source's. (A page served by the browser's own routing is refused the
      // loopback WebSocket by Chromium's local network access checks.)
      await buildPage(fileURLToPath(new URL("../../dist", import.meta.url)));
      await start();
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await server?.kill9();
      await sshd?.stop();
      // A test that failed mid-run leaves its run going on the target (detached, as designed).
      if (dir) killRunsUnder(dir);
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** A signed-in page (the server's session cookie) showing the idea's chat. */
    const openIdea = async (ideaId: string): Promise<Page> => {
      if (!server) throw new Error("no server");
      const origin = server.url;
      const ctx = await browser.newContext({ viewport: DESKTOP });
      const eq = cookie.indexOf("=");
      const [name, value] = [cookie.slice(0, eq), cookie.slice(eq + 1)];
      await ctx.addCookies([{ name, value, url: origin }]);
      const page = await ctx.newPage();
      await page.goto(`${origin}/#/idea/${ideaId}`);
      await page.locator(".idea-name").first().waitFor();
      return page;
    };

    const newIdea = async (title: string) =>
      ideaMetaSchema.parse(await (await api("/api/ideas", "POST", { title })).json()).id;
    const build = async (ideaId: string, message: string) => {
      const res = await api(`/api/ideas/${ideaId}/build`, "POST", { message });
      expect(res.status).toBe(202);
      return runAcceptedSchema.parse(await res.json()).runId;
    };
    const chatText = (page: Page) => page.locator(".messages").innerText();
    const count = (text: string, what: string) => text.split(what).length - 1;

    it("SIGTERM then kill -9 mid-build: the page follows the run again and shows every line once", async () => {
      const n = 40;
      const ideaId = await newIdea("Restarted build");
      const page = await openIdea(ideaId);
      const runId = await build(ideaId, `@fake slow interval=250 count=${n}`);
      await page.getByText("Line 5 of 40.").waitFor();

      // A graceful stop: the run is detached, the log says so.
      const first = server;
      expect(await first?.terminate()).toBe(0);
      expect(first?.output()).toMatch(/detached 1 run/);
      await start();
      const restarted = page.getByText("The server restarted while this run was going on", {
        exact: false,
      });
      await restarted.first().waitFor({ timeout: 20_000 });
      await expect
        .poll(async () => count(await chatText(page), "Line 20 of 40."), {
          timeout: 20_000,
        })
        .toBeGreaterThan(0);

      // A crash: nothing runs on the way out, the next start finds the run anyway.
      await server?.kill9();
      await start();
      await expect.poll(() => restarted.count(), { timeout: 20_000 }).toBe(2);
      await expect
        .poll(async () => (await footers(page).first().textContent()) ?? "", { timeout: 30_000 })
        .toMatch(/Build completed/);
      await page.screenshot({ path: join(screenshotDir, "durable-01-restarted-build.png") });

      const text = await chatText(page);
      for (let i = 1; i <= n; i++) expect(count(text, `Line ${i} of ${n}.`), `line ${i}`).toBe(1);
      // A reload rebuilds the same chat from the transcript.
      await page.reload();
      await footers(page).first().waitFor();
      const again = await chatText(page);
      for (let i = 1; i <= n; i++) expect(count(again, `Line ${i} of ${n}.`), `line ${i}`).toBe(1);
      expect(await runProcessesAfter(runId, 10_000)).toEqual([]);
      await page.context().close();
    }, 120_000);

    it("sshd down for a while mid-build: the status line says the link is lost until it is back, every line once", async () => {
      const n = 40;
      const ideaId = await newIdea("Link down");
      const page = await openIdea(ideaId);
      const runId = await build(ideaId, `@fake slow interval=250 count=${n}`);
      await page.getByText("Line 3 of 40.").waitFor();
      const status = page.locator(".composer-status");
      const down = sshd.stopFor(6000);
      await expect
        .poll(() => status.textContent(), { timeout: 10_000 })
        .toContain("Connection to the machine lost, reconnecting…");
      await page.screenshot({ path: join(screenshotDir, "durable-02-link-down.png") });
      // On a phone the status wraps as one sentence: the label's next line starts under the run's
      // words, not in a column of its own beside them.
      await page.setViewportSize(PHONE);
      const wrap = await status.evaluate((el) => {
        const words = el.querySelector(".composer-status-text");
        const label = el.querySelector(".composer-activity");
        const rects = [...(label?.getClientRects() ?? [])];
        const firstTop = rects[0]?.top ?? 0;
        const below = rects.filter((r) => r.top > firstTop + 1).map((r) => r.left);
        return { start: words?.getClientRects()[0]?.left ?? -1, below };
      });
      expect(wrap.below.length).toBeGreaterThan(0);
      expect(Math.min(...wrap.below)).toBeCloseTo(wrap.start, 0);
      await page.screenshot({ path: join(screenshotDir, "durable-03-link-down-phone.png") });
      await page.setViewportSize(DESKTOP);
      await down;
      await page.getByText("again: the run is followed from where it was").waitFor({
        timeout: 30_000,
      });
      expect((await status.textContent()) ?? "").not.toContain("Connection to the machine lost");
      await expect
        .poll(async () => (await footers(page).first().textContent()) ?? "", { timeout: 30_000 })
        .toMatch(/Build completed/);
      const text = await chatText(page);
      for (let i = 1; i <= n; i++) expect(count(text, `Line ${i} of ${n}.`), `line ${i}`).toBe(1);
      expect(await runProcessesAfter(runId, 10_000)).toEqual([]);
      await page.context().close();
    }, 120_000);

    it("a cancel after a kill -9 and restart ends the run, leaves no process, keeps only the last run's folder", async () => {
      const ideaId = await newIdea("Cancelled after restart");
      const page = await openIdea(ideaId);
      const done = await build(ideaId, "@fake hello");
      await footers(page).first().waitFor();
      const runId = await build(ideaId, "@fake slow interval=200 count=1000");
      await page.getByText("Line 3 of 1000.").waitFor();
      await server?.kill9();
      await start();
      await page.getByText("The server restarted while this run was going on").waitFor({
        timeout: 20_000,
      });
      await page.getByRole("button", { name: "Cancel run" }).click();
      await expect
        .poll(async () => (await footers(page).nth(1).textContent()) ?? "", { timeout: 30_000 })
        .toMatch(/Build cancelled/);
      expect(await runProcessesAfter(runId, 10_000)).toEqual([]);
      // The earlier run's folder is cleaned up; the last one is kept for debugging.
      await expect
        .poll(() => readdirSync(join(dir, "remote", "ideas", ideaId, "runs")), { timeout: 10_000 })
        .toEqual([runId]);
      expect(done).not.toBe(runId);
      await page.context().close();
    }, 120_000);
  },
);
