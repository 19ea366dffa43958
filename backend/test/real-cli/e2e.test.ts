// Issue 6, tests 1-6 (+7 live): the product's server, over a real OpenSSH sshd on 127.0.0.1,
// running the real Claude Code CLI against the scripted mock model.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { healthSchema, ideaMetaSchema, type TranscriptEvent } from "@catalyst/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../require-service.js";
import { sshdAvailable } from "../sshd.js";
import { claudeVersion, startRig, transcript, type Rig } from "./harness.js";
import { requestText } from "./mock-model-process.js";
import { processesOf } from "./processes.js";

const version = claudeVersion();
const hasClaude = requireService(
  "claude CLI",
  version !== null,
  "run `npm run --silent install-claude` (installs the pinned CLI into .cache/)",
);
const hasSshd = requireService("sshd", sshdAvailable(), "apt-get install openssh-server");

type Of<T extends TranscriptEvent["type"]> = Extract<TranscriptEvent, { type: T }>;
const ofType = <T extends TranscriptEvent["type"]>(events: TranscriptEvent[], type: T): Of<T>[] =>
  events.filter((e): e is Of<T> => e.type === type);
const one = <T extends TranscriptEvent["type"]>(events: TranscriptEvent[], type: T): Of<T> => {
  const found = ofType(events, type);
  expect(found, `exactly one ${type} event`).toHaveLength(1);
  return found[0]!;
};

/** Files named `name` anywhere under `dir` (the CLI keeps sessions under ~/.claude/projects/). */
function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((p) => p.split("/").at(-1) === name)
    .map((p) => join(dir, p));
}

// Generous: CI runs every test file at once on two cores, and each test starts several CLI runs.
const timeout = 90_000;

describe.skipIf(!hasClaude || !hasSshd)(
  `the real Claude Code CLI (${version}) over SSH`,
  { timeout },
  () => {
    let rig: Rig;
    const ideas: string[] = [];

    beforeAll(async () => {
      rig = await startRig();
    }, timeout);
    afterAll(async () => {
      await rig?.close();
    });

    const newIdea = async (title: string, description?: string) => {
      const idea = await rig.createIdea(title, description);
      ideas.push(idea.id);
      return idea;
    };

    it("health: the server reaches the target over SSH and finds the real CLI with its version", async () => {
      const res = await rig.api("/api/health");
      const health = healthSchema.parse(await res.json());
      expect(health).toMatchObject({
        ok: true,
        cliFound: true,
        cliError: null,
        cliVersion: version,
      });
      expect(health.target).toBe(`${rig.sshd?.user}@127.0.0.1:${rig.sshd?.port}`);
    });

    it("chat: the model reads a file with Read; the page shows the call, its result, the answer, cost and turns", async () => {
      await rig.model.script([
        { type: "tool", name: "Read", input: { file_path: "notes.txt" }, text: "Let me look." },
        { type: "text", text: "Your notes say: remember the milk." },
      ]);
      const idea = await newIdea("Shopping list", "A list that remembers things.");
      mkdirSync(rig.projectDir(idea.id), { recursive: true });
      writeFileSync(join(rig.projectDir(idea.id), "notes.txt"), "remember the milk\n");

      const runId = await rig.start(idea.id, "chat", "What do my notes say?");
      const events = await rig.viewer.finished(idea.id, runId);

      const init = one(events, "init");
      expect(init.cwd).toBe(rig.projectDir(idea.id));
      const call = ofType(events, "tool_use").find((e) => e.name === "Read");
      expect(call?.input).toEqual({ file_path: "notes.txt" });
      const result = ofType(events, "tool_result").find((e) => e.toolUseId === call?.id);
      expect(result?.isError).toBe(false);
      expect(JSON.stringify(result?.content)).toContain("remember the milk");
      expect(ofType(events, "text").map((e) => e.text)).toContain(
        "Your notes say: remember the milk.",
      );
      const done = one(events, "result");
      expect(done).toMatchObject({ subtype: "success", isError: false, numTurns: 2 });
      expect(done.costUsd).toBeGreaterThan(0);
      expect(one(events, "run_finished")).toMatchObject({ outcome: "completed", exitCode: 0 });

      // The session id is in meta.json on disk, as the init line gave it.
      const onDisk = ideaMetaSchema.parse(
        JSON.parse(readFileSync(join(rig.dataDir, "ideas", idea.id, "meta.json"), "utf8")),
      );
      expect(onDisk.sessionId).toBe(init.sessionId);

      // The model saw the prompt and only the read-only tools.
      const [first] = (await rig.model.requests()).filter((r) => r.kind === "main");
      expect(requestText(first!)).toContain("What do my notes say?");
      const tools = first!.messages?.tools?.map((t) => t.name) ?? [];
      expect(tools).toEqual(expect.arrayContaining(["Read", "Grep", "Glob"]));
      expect(tools).not.toContain("Write");
      expect(tools).not.toContain("Bash");
    });

    it("chat stays read-only: Write and Bash asked for by the model do not run, and the transcript says why", async () => {
      await rig.model.script([
        { type: "tool", name: "Write", input: { file_path: "evil.txt", content: "x" } },
        {
          type: "tool",
          name: "Bash",
          input: { command: "touch bashed.txt", description: "touch" },
        },
        { type: "text", text: "I cannot change files while we chat." },
      ]);
      const idea = await newIdea("Read-only chat");
      const runId = await rig.start(idea.id, "chat", "Please write evil.txt and run a command.");
      const events = await rig.viewer.finished(idea.id, runId);

      expect(existsSync(join(rig.projectDir(idea.id), "evil.txt"))).toBe(false);
      expect(existsSync(join(rig.projectDir(idea.id), "bashed.txt"))).toBe(false);
      const calls = ofType(events, "tool_use");
      expect(calls.map((c) => c.name)).toEqual(["Write", "Bash"]);
      for (const call of calls) {
        const result = ofType(events, "tool_result").find((r) => r.toolUseId === call.id);
        expect(result?.isError).toBe(true);
        expect(JSON.stringify(result?.content)).toContain(`No such tool available: ${call.name}`);
      }
      // The reload shows the same reasons.
      const reloaded = (await transcript(rig, idea.id)).map((e) => e.event);
      expect(ofType(reloaded, "tool_result").filter((r) => r.isError)).toHaveLength(2);
      expect(one(events, "run_finished").outcome).toBe("completed");
    });

    it("build: the model writes a file with Write and runs Bash; the file is in the idea's project folder", async () => {
      await rig.model.script([
        {
          type: "tool",
          name: "Write",
          input: { file_path: "hello.txt", content: "built by claude\n" },
        },
        {
          type: "tool",
          name: "Bash",
          input: { command: "echo ran > bashed.txt && cat hello.txt", description: "check" },
        },
        { type: "text", text: "Built it." },
      ]);
      const idea = await newIdea("Hello file");
      const runId = await rig.start(idea.id, "build");
      const events = await rig.viewer.finished(idea.id, runId);

      const dir = rig.projectDir(idea.id);
      expect(readFileSync(join(dir, "hello.txt"), "utf8")).toBe("built by claude\n");
      expect(readFileSync(join(dir, "bashed.txt"), "utf8")).toBe("ran\n");
      const results = ofType(events, "tool_result");
      expect(results.map((r) => r.isError)).toEqual([false, false]);
      expect(JSON.stringify(results[1]?.content)).toContain("built by claude");
      expect(one(events, "run_finished").outcome).toBe("completed");
      await expect.poll(async () => (await rig.meta(idea.id)).status).toBe("built");
    });

    it("resume: a second message reaches the model with the first exchange, in the same session", async () => {
      const idea = await newIdea("Resumable");
      await rig.model.script([{ type: "text", text: "First answer: use a list." }]);
      const first = await rig.start(idea.id, "chat", "How should I store the items?");
      const firstEvents = await rig.viewer.finished(idea.id, first);
      const sessionId = one(firstEvents, "init").sessionId;
      expect((await rig.meta(idea.id)).sessionId).toBe(sessionId);

      await rig.model.script([{ type: "text", text: "Second answer: yes, sorted." }]);
      const second = await rig.start(idea.id, "chat", "Should the list be sorted?");
      const secondEvents = await rig.viewer.finished(idea.id, second);

      expect(one(secondEvents, "run_started").resumeSessionId).toBe(sessionId);
      expect(one(secondEvents, "init").sessionId).toBe(sessionId);
      expect(one(secondEvents, "result").sessionId).toBe(sessionId);
      expect((await rig.meta(idea.id)).sessionId).toBe(sessionId);
      // --resume restores the session's cost, so the CLI's total covers both runs: the transcript
      // carries each run's own cost, and the idea's total is their sum (not the running totals').
      const firstCost = one(firstEvents, "result").costUsd ?? 0;
      const secondResult = one(secondEvents, "result");
      const secondCost = secondResult.costUsd ?? 0;
      expect(firstCost).toBeGreaterThan(0);
      expect(secondCost).toBeGreaterThan(0);
      expect(secondResult.sessionCostUsd).toBeCloseTo(firstCost + secondCost, 9);
      expect((await rig.meta(idea.id)).totalCostUsd).toBeCloseTo(firstCost + secondCost, 9);
      const [request] = (await rig.model.requests()).filter((r) => r.kind === "main");
      const seen = requestText(request!);
      expect(seen).toContain("How should I store the items?");
      expect(seen).toContain("First answer: use a list.");
      expect(seen).toContain("Should the list be sorted?");
    });

    it("cancel during slow output: the run ends cancelled through the CLI's interrupt, and none of its processes is left", async () => {
      const slow = Array.from({ length: 400 }, (_, i) => `line ${i + 1}.`).join(" ");
      await rig.model.script([{ type: "text", text: slow, deltaChars: 8, intervalMs: 100 }]);
      const idea = await newIdea("Slow talker");
      const runId = await rig.start(idea.id, "chat", "Talk slowly.");
      await rig.viewer.waitFor(idea.id, runId, (e) => e.type === "text_delta");
      const res = await rig.api(`/api/ideas/${idea.id}/cancel`, { method: "POST" });
      expect(res.status).toBe(202);
      const events = await rig.viewer.finished(idea.id, runId);

      const finished = one(events, "run_finished");
      expect(finished.outcome).toBe("cancelled");
      // The CLI's own answer to the interrupt: it stopped inside the grace period, no signal needed.
      expect(one(events, "result").subtype).toBe("error_during_execution");
      expect(finished.signal).toBeNull();
      expect(processesOf(runId, rig.projectDir(idea.id))).toEqual([]);
    });

    it("model errors (500, then 401) end the run failed with a message a person understands", async () => {
      await rig.model.script([
        { type: "error", status: 500 },
        { type: "error", status: 401 },
      ]);
      const idea = await newIdea("Unlucky");

      const first = await rig.start(idea.id, "chat", "Hello?");
      const e500 = await rig.viewer.finished(idea.id, first);
      const f500 = one(e500, "run_finished");
      expect(f500.outcome).toBe("failed");
      expect(f500.message).toMatch(/API Error: 500/);
      expect(ofType(e500, "notice").some((n) => n.level === "error" && /500/.test(n.message))).toBe(
        true,
      );

      const second = await rig.start(idea.id, "chat", "Hello again?");
      const e401 = await rig.viewer.finished(idea.id, second);
      const f401 = one(e401, "run_finished");
      expect(f401.outcome).toBe("failed");
      expect(f401.message).toMatch(/API key/i);
      expect(await rig.model.requests()).toHaveLength(2);
    });

    it("a conversation deleted on the target: the next chat starts a fresh session and says so", async () => {
      const idea = await newIdea("Forgetful");
      await rig.model.script([{ type: "text", text: "I will remember this." }]);
      const first = await rig.start(idea.id, "chat", "Remember the number 42.");
      const oldSession = one(await rig.viewer.finished(idea.id, first), "init").sessionId;
      const files = findFiles(rig.cliHome, `${oldSession}.jsonl`);
      expect(files).toHaveLength(1);
      for (const f of files) rmSync(f);

      await rig.model.script([{ type: "text", text: "Fresh start." }]);
      const before = rig.viewer.entries.get(idea.id)?.length ?? 0;
      await rig.start(idea.id, "chat", "What was the number?");
      const events = (
        await rig.viewer.waitForIdea(idea.id, (all) =>
          all.slice(before).some((e) => e.type === "run_finished" && e.outcome === "completed"),
        )
      ).slice(before);

      const reset = ofType(events, "notice").find((n) => n.kind === "session_reset");
      expect(reset?.level).toBe("warning");
      const fresh = one(events, "init").sessionId;
      expect(fresh).not.toBe(oldSession);
      expect((await rig.meta(idea.id)).sessionId).toBe(fresh);
      const seen = (await rig.model.requests()).filter((r) => r.kind === "main").map(requestText);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain("What was the number?");
      expect(seen[0]).not.toContain("I will remember this.");
    });

    it("every line the real CLI printed in these runs decoded to a known event", async () => {
      expect(ideas.length).toBeGreaterThan(0);
      for (const id of ideas) {
        const events = (await transcript(rig, id)).map((e) => e.event);
        const strange = events.filter((e) => e.type === "unknown" || e.type === "invalid_line");
        expect(strange, `idea ${id}`).toEqual([]);
      }
    });
  },
);
