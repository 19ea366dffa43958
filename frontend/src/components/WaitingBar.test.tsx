import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { makeServices } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";
import { AnswerProvider } from "./answer-context.js";
import { MessageList } from "./MessageList.js";
import { WaitingBar } from "./WaitingBar.js";

const ID = "abcdefghijklmnopqrstu";

describe("WaitingBar", () => {
  afterEach(cleanup);

  it("says what waits (to screen readers too) and takes the keyboard to it", async () => {
    const s = makeServices({});
    const t = s.transcript(ID);
    t.apply(entries("r1", [ev.started("r1", "go", "build")]));
    const { container } = render(
      s.wrap(() => (
        <>
          <AnswerProvider ideaId={ID}>
            <MessageList transcript={t} />
          </AnswerProvider>
          <WaitingBar transcript={t} />
          <textarea aria-label="Message" />
        </>
      )),
    );
    const status = screen.getByRole("status");
    expect(status.textContent).toBe("");
    expect(container.querySelector(".waiting-bar.shown")).toBeNull();
    // Someone is typing: the card does not take the focus, the bar says it and offers the way.
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    box.value = "half a thought";
    box.focus();
    t.apply(
      entries(
        "r1",
        [
          ev.permissionRequest("a", "Bash", { command: "npm install" }),
          ev.permissionRequest("b", "AskUserQuestion", { questions: [] }),
        ],
        2,
      ),
    );
    await waitFor(() =>
      expect(status.textContent).toBe("Claude asks to use Bash: npm install (+1 more)"),
    );
    expect(document.activeElement).toBe(box);
    fireEvent.click(screen.getByRole("button", { name: /Answer/ }));
    expect(document.activeElement?.getAttribute("data-request")).toBe("a");
    t.apply(entries("r1", [ev.permissionAnswered("a")], 4));
    await waitFor(() => expect(status.textContent).toBe("Claude has a question for you"));
    t.apply(entries("r1", [ev.permissionAnswered("b")], 5));
    await waitFor(() => expect(container.querySelector(".waiting-bar.shown")).toBeNull());
  });
});
