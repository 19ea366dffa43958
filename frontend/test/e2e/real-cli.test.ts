// The strongest end-to-end proof: the page in Chromium, the product's server, a real OpenSSH sshd
// on 127.0.0.1, the REAL Claude Code CLI on it, and the scripted mock model behind the CLI.
// Screenshots go to frontend/test-results/real-*.png.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventsResponseSchema } from "@catalyst/shared";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "@catalyst/backend/testing/require-service";
import {
  claudeBin,
  claudeVersion,
  mockModelCliEnv,
} from "@catalyst/backend/testing/real-cli/harness";
import {
  startMockModelProcess,
  type MockModelProcess,
} from "@catalyst/backend/testing/real-cli/mock-model-process";
import { processesOf } from "@catalyst/backend/testing/real-cli/processes";
import { sshdAvailable, startSshd, type SshdHandle } from "@catalyst/backend/testing/sshd";
import { chromiumAvailable, KEY, screenshotDir, startStack, type Stack } from "./harness.js";
import { recordTexts, recordedTexts } from "./real-cli-observe.js";

const hasChromium = requireService(
  "chromium",
  chromiumAvailable(),
  "apt-get install chromium (tests use /usr/bin/chromium, never a download)",
);
const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");
const version = claudeVersion();
const hasClaude = requireService(
  "claude CLI",
  version !== null,
  "run `npm run --silent install-claude` (installs the pinned CLI into .cache/)",
);

// Generous: CI runs every project at once on two cores, and each step starts the real CLI over SSH.
const timeout = 120_000;
const long = { timeout: 60_000 };

const ANSWER = [
  "## Your notes",
  "",
  "They ask for two things:",
  "",
  "- remember the milk",
  "- buy fresh eggs",
  "",
  "```ts",
  'const list = ["milk", "eggs"];',
  "```",
  "",
  "That is the whole list.",
].join("\n");

describe.skipIf(!hasChromium || !hasSshd || !hasClaude)(
  `the page with the real Claude Code CLI (${version}) over SSH`,
  { timeout },
  () => {
    let tmp: string;
    let sshd: SshdHandle;
    let model: MockModelProcess;
    let stack: Stack;
    let context: BrowserContext;
    let page: Page;
    let remoteRoot: string;
    let ideaId: string;
    const pageErrors: string[] = [];

    const shot = (name: string) =>
      page.screenshot({ path: join(screenshotDir, `real-${name}.png`) });
    const projectDir = () => join(remoteRoot, "ideas", ideaId, "project");
    const footers = () => page.locator(".run-footer");
    const waitFooters = (n: number) => expect.poll(() => footers().count(), long).toBe(n);
    const chatText = async () => (await page.locator(".messages").textContent()) ?? "";
    const send = async (message: string) => {
      const box = page.getByLabel("Message");
      // A new run, not a message into the running one: wait for the last run to end.
      await expect
        .poll(() => page.getByRole("button", { name: "Cancel run" }).count(), long)
        .toBe(0);
      await expect.poll(() => box.isEnabled(), long).toBe(true);
      await box.fill(message);
      await box.press("Enter");
    };
    /** The open idea's transcript, as a reload would fetch it. */
    const transcript = async () => {
      const res = await fetch(`${stack.url}/api/ideas/${ideaId}/events?after=0`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      return eventsResponseSchema.parse(await res.json()).events;
    };

    beforeAll(async () => {
      await mkdir(screenshotDir, { recursive: true });
      tmp = await mkdtemp(join(tmpdir(), "catalyst-real-browser-"));
      remoteRoot = join(tmp, "remote");
      sshd = await startSshd();
      model = await startMockModelProcess();
      stack = await startStack({
        CLAUDE_BIN: claudeBin,
        CLAUDE_ENV: mockModelCliEnv(model.url, join(tmp, "cli-home")),
        REMOTE_ROOT: remoteRoot,
        CANCEL_GRACE_MS: "5000",
        SSH_HOST: sshd.host,
        SSH_PORT: String(sshd.port),
        SSH_USER: sshd.user,
        SSH_KEY_PATH: sshd.keyPath,
        SSH_KNOWN_HOSTS: sshd.knownHostsPath,
      });
      context = await stack.browser.newContext({ viewport: { width: 1200, height: 900 } });
      page = await context.newPage();
      page.on("pageerror", (e) => pageErrors.push(e.message));
    }, timeout);
    afterAll(async () => {
      await context?.close();
      await stack?.close();
      await model?.close();
      await sshd?.stop();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    it("signs in and creates an idea; the header names the SSH target", async () => {
      await page.goto(stack.url);
      await page.getByLabel("Access key").fill(KEY);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("button", { name: "+ New idea" }).click();
      await page.getByLabel("Title").fill("Shopping list");
      await page.getByLabel("Description (optional)").fill("A list that remembers things.");
      await page.getByRole("button", { name: "Create idea" }).click();
      await page.locator(".idea-name", { hasText: "Shopping list" }).waitFor();
      const id = /#\/idea\/([A-Za-z0-9_-]{21})$/.exec(page.url())?.[1];
      expect(id).toBeDefined();
      ideaId = id!;
      await expect
        .poll(() => page.locator(".target").textContent(), long)
        .toBe(`on ${sshd.user}@127.0.0.1:${sshd.port}`);
    });

    it("chat: a Read card with its result, Markdown growing as the deltas arrive, then the footer", async () => {
      await mkdir(projectDir(), { recursive: true });
      await writeFile(join(projectDir(), "notes.txt"), "remember the milk\nbuy fresh eggs\n");
      await model.script([
        { type: "tool", name: "Read", input: { file_path: "notes.txt" }, text: "Let me look." },
        { type: "text", text: ANSWER, deltaChars: 3, intervalMs: 120 },
      ]);
      await recordTexts(page, ".msg.assistant .md", ".run-footer");
      await send("What do my notes say?");
      await page.locator(".msg.user", { hasText: "What do my notes say?" }).waitFor();

      const card = page.locator(".tool[data-tool=Read]");
      await card.waitFor(long);
      expect(await card.locator(".tool-arg").textContent()).toContain("notes.txt");
      await expect.poll(() => card.locator(".tool-state").textContent(), long).toBe("done");

      // Part of the answer is on screen while the rest is still coming. A poll can miss that window
      // on a starved machine, so the proof is the recorder below; this catches it for the screenshot.
      const answer = page.locator(".msg.assistant").last().locator(".md");
      let streaming = false;
      await expect
        .poll(async () => {
          const t = (await answer.textContent()) ?? "";
          streaming = t.includes("remember the milk") && !t.includes("That is the whole list.");
          return streaming || (await footers().count()) > 0;
        }, long)
        .toBe(true);
      if (streaming) await shot("01-chat-streaming");

      await waitFooters(1);
      const footer = (await footers().first().textContent()) ?? "";
      expect(footer).toMatch(/^Chat completed · .+ · 2 turns · \$\d/);

      // The whole answer, rendered as Markdown, once.
      expect(await answer.locator("h2").textContent()).toBe("Your notes");
      expect(await answer.locator("li").allTextContents()).toEqual([
        "remember the milk",
        "buy fresh eggs",
      ]);
      const code = answer.locator("pre.code code.hljs");
      expect(await code.textContent()).toBe('const list = ["milk", "eggs"];');
      expect(await code.locator(".hljs-keyword").count()).toBeGreaterThan(0);
      const chat = await chatText();
      expect(chat.split("That is the whole list.").length - 1).toBe(1);
      expect(chat.split("Let me look.").length - 1).toBe(1);
      expect(await page.locator(".msg.assistant").count()).toBe(2);

      // The answer grew in many steps on screen, while the run was going (no footer yet).
      const seen = await recordedTexts(page);
      const final = seen.at(-1)?.text ?? "";
      expect(final).toContain("That is the whole list.");
      const partial = seen.filter((s) => s.count === 0 && s.text.startsWith("Your notes"));
      expect(partial.length).toBeGreaterThanOrEqual(5);
      const showed = (has: string, lacks: string) =>
        partial.some((s) => s.text.includes(has) && !s.text.includes(lacks));
      expect(showed("Your notes", "remember")).toBe(true);
      expect(showed("buy fresh eggs", "const list")).toBe(true);
      expect(showed("const list", "That is the whole list.")).toBe(true);

      // The Read card unfolds to the file's content, as the real CLI returned it.
      await card.locator(".fold-head").first().click();
      const result = card.locator(".tool-section", { hasText: "Result" });
      await result.waitFor();
      expect(await card.textContent()).toMatch(/1.remember the milk/);
      // Nothing raw or noisy: no JSON lines, no CLI output block, no stray status lines.
      expect(chat).not.toMatch(/\{"type":/);
      expect(await page.locator(".output").count()).toBe(0);
      expect(await page.locator(".notice").count()).toBe(0);
      await shot("02-chat-done");
    });

    it("build: asks first; the Write card shows the file, which is in the idea's project folder on the target", async () => {
      await model.script([
        {
          type: "tool",
          name: "Write",
          input: { file_path: "hello.txt", content: "built by claude\n" },
          text: "Writing the file.",
        },
        { type: "text", text: "Built it: `hello.txt` is there." },
      ]);
      await page.getByRole("button", { name: /Build/ }).click();
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      await shot("03-build-confirm");
      await dialog.getByRole("button", { name: "Start building" }).click();
      await page.locator(".msg.user.mode-build").waitFor();

      const card = page.locator(".tool[data-tool=Write]");
      await card.waitFor(long);
      expect(await card.locator(".tool-arg").textContent()).toContain("hello.txt");
      await waitFooters(2);
      expect(await footers().nth(1).textContent()).toMatch(/^Build completed · .+ · 2 turns · \$/);
      expect(await card.locator(".tool-state").textContent()).toBe("done");
      expect(await readFile(join(projectDir(), "hello.txt"), "utf8")).toBe("built by claude\n");
      await card.locator(".fold-head").first().click();
      await card.locator(".tool-section", { hasText: "Result" }).waitFor();
      expect(await card.textContent()).toContain("built by claude");
      await expect.poll(() => page.locator(".idea-item .pill").textContent()).toContain("built");
      expect((await chatText()).split("Built it:").length - 1).toBe(1);
      await footers().nth(1).scrollIntoViewIfNeeded();
      await shot("04-build-done");
    });

    it("a model 500 is one clear error line in the chat, and the run ends failed", async () => {
      await model.script([{ type: "error", status: 500 }]);
      await send("Are you there?");
      await waitFooters(3);
      const errors = page.locator(".messages [role=alert]");
      expect(await errors.count()).toBe(1);
      expect(await errors.first().textContent()).toMatch(/^API Error: 500 Internal server error/);
      expect((await chatText()).split("API Error: 500").length - 1).toBe(1);
      expect(await footers().nth(2).textContent()).toMatch(/^Chat failed/);
      expect(await page.getByLabel("Message").isEnabled()).toBe(true);
      await shot("05-model-error");
    });

    it("cancel during slow output: cancelling, then cancelled, and no claude process is left", async () => {
      const slow = Array.from({ length: 400 }, (_, i) => `Line ${i + 1}.`).join(" ");
      await model.script([{ type: "text", text: slow, deltaChars: 8, intervalMs: 100 }]);
      await recordTexts(page, ".composer .btn.danger");
      await send("Talk slowly.");
      const answer = page.locator(".msg.assistant").last();
      await expect.poll(() => answer.textContent(), long).toMatch(/Line 3\./);
      expect(await page.locator(".composer-status").textContent()).toMatch(/Claude is answering/);
      await page.getByRole("button", { name: "Cancel run" }).click();
      await shot("06-cancelling");
      await waitFooters(4);
      expect(await footers().nth(3).textContent()).toMatch(/^Chat cancelled/);
      expect((await recordedTexts(page)).map((s) => s.text)).toContain("Cancelling…");
      // The answer stopped part-way, and what arrived is shown once.
      const text = (await answer.textContent()) ?? "";
      expect(text).not.toContain("Line 400.");
      expect(text.split("Line 3.").length - 1).toBe(1);
      const entries = await transcript();
      const runId = entries.filter((e) => e.event.type === "run_started").at(-1)?.runId;
      expect(runId).toBeDefined();
      const types = entries.filter((e) => e.runId === runId).map((e) => e.event.type);
      expect(types).toContain("cancel_requested");
      await expect.poll(() => processesOf(runId!, projectDir()), long).toEqual([]);
      expect(await page.getByLabel("Message").isEnabled()).toBe(true);
      await shot("07-cancelled");
    });

    it("a reload shows the same chat from the stored transcript", async () => {
      const view = () =>
        page.evaluate(() =>
          [...document.querySelectorAll(".messages .msg, .messages .tool, .messages .run-line")]
            .map((el) => {
              const tool = el.querySelector(".tool-name");
              return tool
                ? `tool ${tool.textContent} ${el.querySelector(".tool-arg")?.textContent}`
                : `${el.className}: ${el.textContent}`;
            })
            .concat([`alerts: ${document.querySelectorAll(".messages [role=alert]").length}`]),
        );
      const before = await view();
      expect(before.filter((l) => l.startsWith("tool "))).toEqual([
        "tool Read notes.txt",
        "tool Write hello.txt",
      ]);
      expect(before.filter((l) => l.startsWith("run-line"))).toHaveLength(4);
      expect(before.filter((l) => l.startsWith("msg user"))).toHaveLength(4);
      expect(before.at(-1)).toBe("alerts: 1");
      await page.reload();
      await waitFooters(4);
      await expect.poll(view, long).toEqual(before);
      await shot("08-after-reload");
      expect(pageErrors).toEqual([]);
    });

    it("build: a command the CLI asks about is a card; Allow once runs it on the target and its output shows", async () => {
      await model.script([
        {
          type: "tool",
          name: "Bash",
          input: {
            command: "node -e \"console.log('ran on the target')\"",
            description: "Run a line of Node",
          },
          text: "Running it.",
        },
        { type: "text", text: "The command ran." },
      ]);
      await page.getByRole("button", { name: /Build/ }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Start building" }).click();
      const card = page.locator(".request.pending");
      await card.waitFor(long);
      expect(await card.locator(".request-command").textContent()).toContain("ran on the target");
      await shot("09-approval-card");
      await card.getByRole("button", { name: "Allow once" }).click();
      await page.locator(".request.done", { hasText: "Allowed once" }).waitFor(long);
      await waitFooters(5);
      expect(await footers().nth(4).textContent()).toMatch(/^Build completed/);
      const tool = page.locator(".tool[data-tool=Bash]").last();
      expect(await tool.locator(".tool-state").textContent()).toBe("done");
      await tool.locator(".fold-head").first().click();
      await tool.locator(".tool-section", { hasText: "Result" }).waitFor();
      expect(await tool.textContent()).toContain("ran on the target");
      await shot("10-approval-answered");
    });
  },
);
