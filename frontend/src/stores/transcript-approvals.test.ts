import { describe, expect, it } from "vitest";
import {
  createTranscriptStore,
  type ApprovalItem,
  type Item,
  type ToolItem,
} from "./transcript.js";
import { entries, ev } from "./fixtures.js";

const approvals = (items: Item[]) => items.filter((i): i is ApprovalItem => i.kind === "approval");

describe("transcript store: requests for the person", () => {
  it("folds a permission_request into a waiting card with the command relative to the run's folder", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "build it", "build"),
        {
          type: "init",
          sessionId: "s1",
          model: null,
          cwd: "/srv/ideas/x",
          tools: ["Bash"],
          permissionMode: "default",
          cliVersion: "2.1.330",
        },
        ev.toolUse("tu1", "Write", { file_path: "/srv/ideas/x/package.json", content: "{}" }),
        ev.permissionRequest(
          "req1",
          "Write",
          { file_path: "/srv/ideas/x/package.json", content: "{}" },
          { toolUseId: "tu1", description: "Create the manifest" },
        ),
      ]),
    );
    const [card] = approvals(t.items());
    expect(card).toMatchObject({
      requestId: "req1",
      toolName: "Write",
      toolUseId: "tu1",
      summary: "package.json",
      description: "Create the manifest",
    });
    expect(card?.answer()).toBeNull();
    expect(t.pending().map((p) => p.requestId)).toEqual(["req1"]);
    expect(t.activity()).toBe("Waiting for your answer");
  });

  it("records the answer from any viewer, the policy or the timeout, and stops waiting", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go", "build"),
        ev.permissionRequest(
          "a",
          "Bash",
          { command: "npm init -y" },
          { alwaysRules: ["Bash(npm init *)"] },
        ),
        ev.permissionRequest("b", "Bash", { command: "npm test" }),
        ev.permissionRequest("c", "Bash", { command: "git init" }),
      ]),
    );
    expect(t.pending()).toHaveLength(3);
    t.apply(
      entries(
        "r1",
        [
          ev.permissionAnswered("a", "allow", "always", "user"),
          ev.permissionAnswered("b", "allow", "once", "policy"),
          ev.permissionAnswered("c", "deny", "once", "timeout"),
          ev.permissionAnswered("nobody-asked", "allow"),
        ],
        5,
      ),
    );
    const answers = approvals(t.items()).map((i) => i.answer());
    expect(answers).toEqual([
      { decision: "allow", scope: "always", by: "user" },
      { decision: "allow", scope: "once", by: "policy" },
      { decision: "deny", scope: "once", by: "timeout" },
    ]);
    expect(t.pending()).toEqual([]);
    expect(t.activity()).toBeNull();
  });

  it("keeps a deny's message and a question's answers with the answer", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go", "build"),
        ev.permissionRequest("a", "Bash", { command: "rm -rf build" }),
        ev.permissionRequest("q", "AskUserQuestion", { questions: [] }),
      ]),
    );
    t.apply(
      entries(
        "r1",
        [
          ev.permissionAnswered("a", "deny", "once", "user", { message: "Keep the build folder" }),
          ev.permissionAnswered("q", "allow", "once", "user", { answers: { "Which?": "npm" } }),
        ],
        4,
      ),
    );
    const [a, q] = approvals(t.items());
    expect(a?.answer()).toEqual({
      decision: "deny",
      scope: "once",
      by: "user",
      message: "Keep the build folder",
      answers: undefined,
    });
    expect(q?.isQuestion).toBe(true);
    expect(q?.answer()?.answers).toEqual({ "Which?": "npm" });
  });

  it("marks the tool call as waiting for the person until its request is answered", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go", "build"),
        ev.toolUse("tu1", "Bash", { command: "npm test" }),
        ev.toolUse("tu2", "Bash", { command: "npm run lint" }),
        ev.permissionRequest("a", "Bash", { command: "npm test" }, { toolUseId: "tu1" }),
        ev.permissionRequest("b", "Bash", { command: "npm run lint" }, { toolUseId: "tu2" }),
      ]),
    );
    const tool = (id: string) =>
      t.items().find((i): i is ToolItem => i.kind === "tool" && i.id === id);
    expect(tool("tu1")?.awaiting()).toBe(true);
    t.apply(entries("r1", [ev.permissionAnswered("a")], 6));
    expect(tool("tu1")?.awaiting()).toBe(false);
    expect(tool("tu2")?.awaiting()).toBe(true);
    t.apply(entries("r1", [ev.finished("r1", "cancelled")], 7));
    expect(tool("tu2")?.awaiting()).toBe(false);
    expect(tool("tu2")?.stopped()).toBe(true);
  });

  it("puts a subagent's request in the chat itself, not in its folded group", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go", "build"),
        ev.toolUse("task1", "Task", { description: "set up" }),
        ev.permissionRequest("a", "Bash", { command: "npm install" }, { parent: "task1" }),
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user", "tool", "approval"]);
  });

  it("marks a request nobody answered as expired when its run ends", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go", "build"),
        ev.permissionRequest("a", "Bash", { command: "npm install" }),
        ev.cancel("r1"),
        ev.finished("r1", "cancelled"),
      ]),
    );
    const [card] = approvals(t.items());
    expect(card?.expired()).toBe(true);
    expect(card?.answer()).toBeNull();
    expect(t.pending()).toEqual([]);
  });

  it("shows a message sent into the running session as the person's message, marked queued", () => {
    const t = createTranscriptStore();
    t.apply(entries("r1", [ev.started("r1", "go", "build"), ev.queued("r1", "also add a README")]));
    expect(t.items().at(-1)).toMatchObject({
      kind: "user",
      mode: "build",
      text: "also add a README",
      queued: true,
    });
  });

  it("shows nothing for the control protocol's own traffic", () => {
    const t = createTranscriptStore();
    t.apply(
      entries("r1", [
        ev.started("r1", "go"),
        { type: "control_request", requestId: "x", subtype: "hook_callback", raw: {} },
        { type: "control_response", requestId: "y", subtype: "success", error: null },
      ]),
    );
    expect(t.items().map((i) => i.kind)).toEqual(["user"]);
  });
});
