// The embedded default (no SSH_HOST): the same server runs the real CLI on this machine.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TranscriptEvent } from "@catalyst/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireService } from "../require-service.js";
import { claudeVersion, startRig, type Rig } from "./harness.js";
import { processesOf } from "./processes.js";

const version = claudeVersion();
const hasClaude = requireService(
  "claude CLI",
  version !== null,
  "run `npm run --silent install-claude` (installs the pinned CLI into .cache/)",
);

const find = <T extends TranscriptEvent["type"]>(events: TranscriptEvent[], type: T) =>
  events.filter((e): e is Extract<TranscriptEvent, { type: T }> => e.type === type);

const timeout = 90_000;

describe.skipIf(!hasClaude)(
  `the real Claude Code CLI (${version}) run locally`,
  { timeout },
  () => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await startRig({ ssh: false });
    }, timeout);
    afterAll(async () => {
      await rig?.close();
    });

    it("build then chat: the file is written in the project folder and the chat resumes the session", async () => {
      await rig.model.script([
        { type: "tool", name: "Write", input: { file_path: "app.txt", content: "v1\n" } },
        { type: "text", text: "Wrote app.txt." },
      ]);
      const idea = await rig.createIdea("Local build");
      const build = await rig.start(idea.id, "build", "Write app.txt");
      const built = await rig.viewer.finished(idea.id, build);
      expect(find(built, "run_finished")[0]?.outcome).toBe("completed");
      expect(find(built, "run_started")[0]?.target).toBe("local");
      expect(readFileSync(join(rig.projectDir(idea.id), "app.txt"), "utf8")).toBe("v1\n");
      const session = find(built, "init")[0]?.sessionId;

      await rig.model.script([{ type: "text", text: "It says v1." }]);
      const chat = await rig.start(idea.id, "chat", "What does app.txt say?");
      const chatted = await rig.viewer.finished(idea.id, chat);
      expect(find(chatted, "init")[0]?.sessionId).toBe(session);
      expect(find(chatted, "text").map((t) => t.text)).toContain("It says v1.");
    });

    it("cancel: the local run ends cancelled and leaves no process behind", async () => {
      const slow = Array.from({ length: 400 }, (_, i) => `line ${i + 1}.`).join(" ");
      await rig.model.script([{ type: "text", text: slow, deltaChars: 8, intervalMs: 100 }]);
      const idea = await rig.createIdea("Local cancel");
      const runId = await rig.start(idea.id, "chat", "Talk slowly.");
      await rig.viewer.waitFor(idea.id, runId, (e) => e.type === "text_delta");
      await rig.api(`/api/ideas/${idea.id}/cancel`, { method: "POST" });
      const events = await rig.viewer.finished(idea.id, runId);
      expect(find(events, "run_finished")[0]?.outcome).toBe("cancelled");
      expect(find(events, "result")[0]?.subtype).toBe("error_during_execution");
      expect(processesOf(runId, rig.projectDir(idea.id))).toEqual([]);
    });
  },
);
