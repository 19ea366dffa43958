// Issue 10 with the real Claude Code CLI (stream-json input, stdio permission prompt) over a real
// sshd, against the scripted mock model: approvals, "always", a question, a queued message and an
// interrupt cancel, each through the server's HTTP API as the page drives it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TranscriptEvent } from "@catalyst/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { requireService } from "../require-service.js";
import { sshdAvailable } from "../sshd.js";
import { claudeVersion, startRig, type Rig } from "./harness.js";
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

const timeout = 90_000;
const settingsSchema = z.object({ permissions: z.object({ allow: z.array(z.string()) }) });
// A command CLI 2.1.330 asks about in acceptEdits mode (echo and mkdir it lets through).
const NODE_WRITE = `node -e "require('fs').writeFileSync('made.txt', 'made by node')"`;

describe.skipIf(!hasClaude || !hasSshd)(
  `live sessions with the real Claude Code CLI (${version}) over SSH`,
  { timeout },
  () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await startRig();
    }, timeout);
    afterAll(async () => {
      await rig?.close();
    });

    const answer = (ideaId: string, requestId: string, body: unknown) =>
      rig.api(`/api/ideas/${ideaId}/permissions/${requestId}`, {
        method: "POST",
        body: JSON.stringify(body),
      });
    const request = async (ideaId: string, runId: string, n = 1) =>
      ofType(
        await rig.viewer.waitFor(
          ideaId,
          runId,
          () => ofType(rig.viewer.runEvents(ideaId, runId), "permission_request").length >= n,
        ),
        "permission_request",
      )[n - 1]!;
    const lastModelRequest = async () =>
      requestText((await rig.model.requests()).filter((r) => r.kind === "main").at(-1)!);

    it("a Bash call in build mode asks; allow runs it on the target", async () => {
      await rig.model.script([
        { type: "tool", name: "Bash", input: { command: NODE_WRITE, description: "Write a file" } },
        { type: "text", text: "Done." },
      ]);
      const idea = await rig.createIdea("Allow");
      const runId = await rig.start(idea.id, "build", "Make the file.");
      const req = await request(idea.id, runId);
      expect(req).toMatchObject({ toolName: "Bash", input: { command: NODE_WRITE } });
      expect((await answer(idea.id, req.requestId, { decision: "allow" })).status).toBe(200);
      const events = await rig.viewer.finished(idea.id, runId);
      expect(ofType(events, "run_finished")[0]?.outcome).toBe("completed");
      expect(readFileSync(join(rig.projectDir(idea.id), "made.txt"), "utf8")).toBe("made by node");
      expect(ofType(events, "permission_denied")).toEqual([]);
    });

    it("deny reaches the model with the person's message, and nothing runs", async () => {
      await rig.model.script([
        { type: "tool", name: "Bash", input: { command: NODE_WRITE, description: "Write a file" } },
        { type: "text", text: "Understood." },
      ]);
      const idea = await rig.createIdea("Deny");
      const runId = await rig.start(idea.id, "build", "Make the file.");
      const req = await request(idea.id, runId);
      await answer(idea.id, req.requestId, { decision: "deny", message: "Use a shell script." });
      const events = await rig.viewer.finished(idea.id, runId);
      expect(ofType(events, "run_finished")[0]?.outcome).toBe("completed");
      expect(existsSync(join(rig.projectDir(idea.id), "made.txt"))).toBe(false);
      expect(await lastModelRequest()).toContain("Use a shell script.");
    });

    it("always-allow: the CLI keeps the rule in the project, and the next run does not ask again", async () => {
      const step = { type: "tool" as const, name: "Bash", input: { command: NODE_WRITE } };
      await rig.model.script([step, { type: "text", text: "One." }]);
      const idea = await rig.createIdea("Always");
      const first = await rig.start(idea.id, "build", "Make the file.");
      const req = await request(idea.id, first);
      expect(req.alwaysRules.length).toBeGreaterThan(0);
      await answer(idea.id, req.requestId, { decision: "allow", scope: "always" });
      await rig.viewer.finished(idea.id, first);
      const settings = readFileSync(
        join(rig.projectDir(idea.id), ".claude", "settings.local.json"),
        "utf8",
      );
      // The CLI writes the rule itself (escaping the parentheses inside it).
      const allow = settingsSchema.parse(JSON.parse(settings)).permissions.allow;
      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatch(/^Bash\(node -e /);

      await rig.model.script([step, { type: "text", text: "Two." }]);
      await waitIdle(rig, idea.id);
      const second = await rig.start(idea.id, "build", "Again.");
      const events = await rig.viewer.finished(idea.id, second);
      expect(ofType(events, "permission_request")).toEqual([]);
      expect(ofType(events, "run_finished")[0]?.outcome).toBe("completed");
    });

    it("AskUserQuestion: the person's choice reaches the model", async () => {
      const question = "Which color should the button be?";
      await rig.model.script([
        {
          type: "tool",
          name: "AskUserQuestion",
          input: {
            questions: [
              {
                question,
                header: "Color",
                options: [
                  { label: "Red", description: "Warm" },
                  { label: "Blue", description: "Calm" },
                ],
                multiSelect: false,
              },
            ],
          },
        },
        { type: "text", text: "Blue it is." },
      ]);
      const idea = await rig.createIdea("Question");
      const runId = await rig.start(idea.id, "build", "Ask me.");
      const req = await request(idea.id, runId);
      expect(req).toMatchObject({ toolName: "AskUserQuestion" });
      await answer(idea.id, req.requestId, { decision: "allow", answers: { [question]: "Blue" } });
      const events = await rig.viewer.finished(idea.id, runId);
      expect(ofType(events, "run_finished")[0]?.outcome).toBe("completed");
      expect(await lastModelRequest()).toContain("Blue");
    });

    it("a message sent during the run goes into it and is answered, with no second CLI", async () => {
      const slow = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");
      await rig.model.script([
        { type: "text", text: slow, deltaChars: 10, intervalMs: 100 },
        { type: "text", text: "About the second thing: yes." },
      ]);
      const idea = await rig.createIdea("Queue");
      const runId = await rig.start(idea.id, "chat", "Talk a while.");
      await rig.viewer.waitFor(idea.id, runId, (e) => e.type === "text_delta");
      const res = await rig.api(`/api/ideas/${idea.id}/chat`, {
        method: "POST",
        body: JSON.stringify({ message: "And the second thing?" }),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ runId, queued: true });
      const events = await rig.viewer.finished(idea.id, runId);
      expect(ofType(events, "result")).toHaveLength(2);
      expect(ofType(events, "run_started")).toHaveLength(1);
      expect(ofType(events, "run_finished")[0]?.outcome).toBe("completed");
      expect(await lastModelRequest()).toContain("And the second thing?");
    });

    it("cancel while a request waits: the CLI's interrupt ends the run, no signal, no process left", async () => {
      await rig.model.script([{ type: "tool", name: "Bash", input: { command: NODE_WRITE } }]);
      const idea = await rig.createIdea("Interrupt");
      const runId = await rig.start(idea.id, "build", "Make the file.");
      await request(idea.id, runId);
      expect((await rig.api(`/api/ideas/${idea.id}/cancel`, { method: "POST" })).status).toBe(202);
      const events = await rig.viewer.finished(idea.id, runId);
      const finished = ofType(events, "run_finished")[0];
      expect(finished).toMatchObject({ outcome: "cancelled", signal: null });
      // Denied as the stop began (before the interrupt): the command never ran.
      expect(ofType(events, "permission_answered")[0]).toMatchObject({
        decision: "deny",
        by: "run_ended",
      });
      expect(existsSync(join(rig.projectDir(idea.id), "made.txt"))).toBe(false);
      expect(processesOf(runId, rig.projectDir(idea.id))).toEqual([]);
    });
  },
);

/** A build's checkpoint is taken after its run_finished: the idea is free once activeRunId is null. */
async function waitIdle(rig: Rig, ideaId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!(await rig.meta(ideaId)).activeRunId) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the run never ended");
}
