import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { makeServices } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";
import { AnswerProvider } from "./answer-context.js";
import { MessageList } from "./MessageList.js";

const ID = "abcdefghijklmnopqrstu";
const route = `POST /api/ideas/${ID}/permissions/q1`;

const ask = ev.permissionRequest("q1", "AskUserQuestion", {
  questions: [
    {
      question: "Which package manager?",
      header: "Tooling",
      options: [
        { label: "npm", description: "Comes with Node" },
        { label: "pnpm", description: "Fast, strict" },
      ],
      multiSelect: false,
    },
    {
      question: "Which extras?",
      header: "Extras",
      options: [{ label: "ESLint" }, { label: "Prettier" }],
      multiSelect: true,
    },
  ],
});

function setup() {
  const s = makeServices({
    [route]: () => ({ status: 200, json: { runId: "r1", requestId: "q1" } }),
  });
  const t = s.transcript(ID);
  t.apply(entries("r1", [ev.started("r1", "build it", "build"), ask]));
  const view = render(
    s.wrap(() => (
      <AnswerProvider ideaId={ID}>
        <MessageList transcript={t} />
      </AnswerProvider>
    )),
  );
  return { ...s, t, ...view };
}

describe("QuestionForm: Claude's questions", () => {
  afterEach(cleanup);

  it("offers each question's options (one or several) and sends the labels as answers", async () => {
    const s = setup();
    expect(screen.getByText("Claude asks you 2 things")).toBeTruthy();
    expect(screen.getByText("Fast, strict")).toBeTruthy();
    const send = screen.getByRole("button", { name: "Send answers" }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.click(screen.getByRole("radio", { name: /pnpm/ }));
    fireEvent.click(screen.getByRole("checkbox", { name: /ESLint/ }));
    fireEvent.click(screen.getByRole("checkbox", { name: /Prettier/ }));
    expect(send.disabled).toBe(false);
    fireEvent.click(send);
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]?.body).toEqual({
      decision: "allow",
      scope: "once",
      answers: { "Which package manager?": "pnpm", "Which extras?": "ESLint, Prettier" },
    });
    s.t.apply(
      entries(
        "r1",
        [
          ev.permissionAnswered("q1", "allow", "once", "user", {
            answers: { "Which package manager?": "pnpm", "Which extras?": "ESLint, Prettier" },
          }),
        ],
        3,
      ),
    );
    await waitFor(() => expect(s.container.querySelector(".request.done")).not.toBeNull());
    const line = s.container.querySelector(".request.done")?.textContent ?? "";
    expect(line).toContain("Answered");
    expect(line).toContain("Which extras?");
    expect(line).toContain("ESLint, Prettier");
  });

  it("takes an answer in the person's own words (Other)", async () => {
    const s = setup();
    fireEvent.input(screen.getByLabelText("Other answer to: Which package manager?"), {
      target: { value: "yarn, please" },
    });
    expect((screen.getAllByRole("radio", { name: "Other" })[0] as HTMLInputElement).checked).toBe(
      true,
    );
    fireEvent.click(screen.getByRole("checkbox", { name: /Prettier/ }));
    fireEvent.click(screen.getByRole("button", { name: "Send answers" }));
    await waitFor(() =>
      expect(s.calls[0]?.body).toMatchObject({
        answers: { "Which package manager?": "yarn, please", "Which extras?": "Prettier" },
      }),
    );
  });

  it("lets the person decline to answer", async () => {
    const s = setup();
    fireEvent.click(screen.getByRole("button", { name: "Don't answer" }));
    await waitFor(() =>
      expect(s.calls[0]?.body).toMatchObject({ decision: "deny", scope: "once" }),
    );
  });
});
