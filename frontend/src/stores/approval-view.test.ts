import { describe, expect, it } from "vitest";
import { alwaysLabel, answerLine, questionsOf, requestDetail } from "./approval-view.js";

describe("approval view", () => {
  it("names the rules 'Always allow' keeps, and offers none without a rule", () => {
    expect(alwaysLabel(["Bash(npm init *)"])).toBe("Always allow `npm init *`");
    expect(alwaysLabel(["Bash(npm init *)", "Bash(npm install *)"])).toBe(
      "Always allow `npm init *`, `npm install *`",
    );
    expect(alwaysLabel(["Write"])).toBe("Always allow Write");
    expect(alwaysLabel([])).toBeNull();
  });

  it("picks what a person judges a call by: the command, or the file and its content", () => {
    expect(
      requestDetail("Bash", { command: "npm init -y", description: "Start a project" }),
    ).toEqual({ kind: "command", command: "npm init -y", description: "Start a project" });
    expect(requestDetail("Write", { file_path: "/p/a.ts", content: "x" })).toEqual({
      kind: "file",
      path: "/p/a.ts",
      content: "x",
      replaced: null,
    });
    expect(
      requestDetail("Edit", { file_path: "/p/a.ts", old_string: "a", new_string: "b" }),
    ).toEqual({ kind: "file", path: "/p/a.ts", content: "b", replaced: "a" });
    expect(requestDetail("WebFetch", { url: "http://127.0.0.1/" })).toEqual({ kind: "other" });
    expect(requestDetail("Bash", "not an object")).toEqual({ kind: "other" });
  });

  it("reads AskUserQuestion's questions, and none from an input it does not know", () => {
    const qs = questionsOf({
      questions: [
        { question: "Which language?", header: "Language", options: [{ label: "TypeScript" }] },
      ],
    });
    expect(qs).toEqual([
      {
        question: "Which language?",
        header: "Language",
        options: [{ label: "TypeScript" }],
      },
    ]);
    expect(questionsOf({ questions: "?" })).toEqual([]);
  });

  it("says an answer in a few words, by who gave it", () => {
    const always = "Always allow `npm init *`";
    const a = (over: object) =>
      ({ decision: "allow", scope: "once", by: "user", ...over }) as const;
    expect(answerLine(a({}), always, false)).toBe("Allowed once");
    expect(answerLine(a({ scope: "always" }), always, false)).toBe("Always allowed `npm init *`");
    expect(answerLine(a({ by: "policy" }), always, false)).toMatch(/automatically/);
    expect(answerLine(a({ decision: "deny" }), always, false)).toBe("Denied");
    expect(answerLine(a({ decision: "deny", by: "timeout" }), always, false)).toBe(
      "Denied: nobody answered in time",
    );
    expect(answerLine(a({}), always, true)).toBe("Answered");
    expect(answerLine(a({ decision: "deny" }), always, true)).toBe("Declined to answer");
    expect(answerLine(a({ decision: "deny", by: "run_ended" }), always, false)).toBe(
      "Not answered: the run ended",
    );
  });
});
