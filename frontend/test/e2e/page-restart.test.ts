// A server restart mid-run, in Chromium: the page reconnects to the next server process (same
// DATA_DIR and port) and shows the rest of the run it follows again, once.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  executorFromConfig,
  parseConfig,
  runnerFromConfig,
  silentLogger,
  startServer,
} from "@catalyst/backend";
import { buildPage, KEY, launchChromium, screenshotDir } from "./harness.js";
import {
  createIdea,
  footers,
  hasChromium,
  openTab,
  send,
  shot,
  waitFooters,
} from "./page-helpers.js";

const repoDir = fileURLToPath(new URL("../../..", import.meta.url));

describe.skipIf(!hasChromium)("a server restart mid-run, in Chromium", () => {
  it("the page reconnects and shows the run followed again: one message, the restart notice, the end", async () => {
    const tmp = await mkdtemp(join(tmpdir(), "catalyst-e2e-restart-"));
    const staticDir = join(tmp, "dist");
    await mkdir(join(tmp, "remote"), { recursive: true });
    await mkdir(screenshotDir, { recursive: true });
    await buildPage(staticDir);
    /** One server process's worth: its own runner and connections, the same DATA_DIR. */
    const serverOn = async (port: number) => {
      const parsed = parseConfig({
        HOST: "127.0.0.1",
        PORT: String(port),
        APP_KEY: KEY,
        DATA_DIR: join(tmp, "data"),
        CLAUDE_BIN: join(repoDir, "scripts/fake-claude"),
        REMOTE_ROOT: join(tmp, "remote"),
      });
      if (!parsed.success) throw new Error(parsed.error);
      const runner = runnerFromConfig(parsed.data, executorFromConfig(parsed.data));
      const server = await startServer({ runner, logger: silentLogger }, parsed.data, {
        staticDir,
      });
      return { runner, server };
    };
    const browser = await launchChromium();
    let current = await serverOn(0);
    try {
      const { page } = await openTab(
        await browser.newContext({ viewport: { width: 1200, height: 800 } }),
      );
      await page.goto(`${current.server.url}/#login=${current.server.app.auth.loginLinks.issue()}`);
      await createIdea(page, "Kiln");
      await send(page, "@fake slow interval=150 count=40");
      const chat = () => page.locator(".chat").innerText();
      await expect.poll(chat, { timeout: 20_000 }).toContain("Line 8 of 40.");

      // What SIGTERM does: the run is left going on the target; the next process follows it.
      const { port } = current.server;
      await current.server.close({ detachRuns: true });
      await current.runner.close({ detach: true });
      current = await serverOn(port);

      await waitFooters(page, 1);
      expect(await footers(page).first().textContent()).toMatch(/Chat completed/);
      const text = await chat();
      for (const line of ["Line 8 of 40.", "Line 9 of 40.", "Line 40 of 40."]) {
        expect(text.split(line)).toHaveLength(2);
      }
      expect(text).toContain("The server restarted while this run was going on");
      // The run's usage is counted once it ends, also when another process began it.
      await expect
        .poll(() => page.locator(".idea-spend .tokens").textContent())
        .not.toMatch(/^0 in · 0 out$/);
      await shot(page, "restart-01-followed-again");
    } finally {
      await browser.close();
      await current.server.close();
      await current.runner.close();
      await rm(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
