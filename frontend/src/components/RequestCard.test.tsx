import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import type { TranscriptEvent } from "@catalyst/shared";
import { makeServices, type Handler } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";
import { AnswerProvider } from "./answer-context.js";
import { MessageList } from "./MessageList.js";

const ID = "abcdefghijklmnopqrstu";
const answerPath = (requestId: string) => `POST /api/ideas/${ID}/permissions/${requestId}`;

/** The chat of an idea whose build waits on `events`, with the answer route answering `handler`. */
function setup(events: TranscriptEvent[], routes: Record<string, Handler> = {}) {
  const s = makeServices(routes);
  const t = s.transcript(ID);
  t.apply(entries("r1", [ev.started("r1", "build it", "build"), ...events]));
  const view = render(
    s.wrap(() => (
      <>
        <textarea aria-label="Message" />
        <AnswerProvider ideaId={ID}>
          <MessageList transcript={t} />
        </AnswerProvider>
      </>
    )),
  );
  return { ...s, t, ...view };
}

const npmInit = ev.permissionRequest(
  "req1",
  "Bash",
  { command: "npm init -y", description: "Create package.json" },
  {
    alwaysRules: ["Bash(npm init *)"],
    description: "Create package.json",
    decisionReason: "This command requires approval",
  },
);

describe("RequestCard: a tool approval", () => {
  afterEach(cleanup);

  it("shows the tool, the command and Claude's reason, and names the rule 'always' adds", () => {
    const { container } = setup([npmInit]);
    const card = container.querySelector(".request.pending");
    expect(card?.textContent).toContain("Claude wants to run a command");
    expect(card?.textContent).toContain("This command requires approval");
    // Claude's description of the call, once (the event and the input both carry it).
    expect(card?.textContent?.split("Create package.json")).toHaveLength(2);
    expect(screen.getByLabelText("Command").textContent).toBe("npm init -y");
    expect(screen.getByRole("button", { name: "Allow once" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Always allow npm init *" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Deny…" })).toBeTruthy();
  });

  it("takes the keyboard focus when it appears, unless someone is typing", async () => {
    const s = setup([]);
    s.t.apply(entries("r1", [npmInit], 2));
    await waitFor(() => expect(document.activeElement?.getAttribute("data-request")).toBe("req1"));
    // Typing in the composer: the next card waits to be tabbed to.
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    box.value = "half a sentence";
    box.focus();
    s.t.apply(entries("r1", [ev.permissionRequest("req2", "Bash", { command: "ls" })], 3));
    await Promise.resolve();
    expect(document.activeElement).toBe(box);
  });

  it("sends Allow once, then shows the recorded answer in one line", async () => {
    const s = setup([npmInit], {
      [answerPath("req1")]: () => ({ status: 200, json: { runId: "r1", requestId: "req1" } }),
    });
    fireEvent.click(screen.getByRole("button", { name: "Allow once" }));
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]?.body).toEqual({ decision: "allow", scope: "once" });
    s.t.apply(entries("r1", [ev.permissionAnswered("req1", "allow", "once")], 3));
    await waitFor(() => expect(s.container.querySelector(".request.pending")).toBeNull());
    const line = s.container.querySelector(".request.done");
    expect(line?.textContent).toContain("Bash");
    expect(line?.textContent).toContain("npm init -y");
    expect(line?.textContent).toContain("Allowed once");
  });

  it("offers Always allow only with a rule to keep", () => {
    setup([ev.permissionRequest("req9", "WebFetch", { url: "http://127.0.0.1/" })]);
    expect(screen.queryByRole("button", { name: /Always allow/ })).toBeNull();
    expect(screen.getByRole("button", { name: "Allow once" })).toBeTruthy();
  });

  it("hands the keyboard to the next waiting card once one is answered", async () => {
    const s = setup([npmInit, ev.permissionRequest("req2", "Bash", { command: "npm test" })]);
    const first = s.container.querySelector<HTMLElement>('[data-request="req1"]');
    first?.querySelector("button")?.focus();
    s.t.apply(entries("r1", [ev.permissionAnswered("req1")], 4));
    await waitFor(() => expect(document.activeElement?.getAttribute("data-request")).toBe("req2"));
  });

  it("sends Always allow with scope always, and says which rule now holds", async () => {
    const s = setup([npmInit], {
      [answerPath("req1")]: () => ({ status: 200, json: { runId: "r1", requestId: "req1" } }),
    });
    fireEvent.click(screen.getByRole("button", { name: "Always allow npm init *" }));
    await waitFor(() => expect(s.calls[0]?.body).toEqual({ decision: "allow", scope: "always" }));
    s.t.apply(entries("r1", [ev.permissionAnswered("req1", "allow", "always")], 3));
    await waitFor(() =>
      expect(s.container.querySelector(".request.done")?.textContent).toContain(
        "Always allowed npm init *",
      ),
    );
  });

  it("denies with the person's message from the keyboard, and shows it once recorded", async () => {
    const s = setup([npmInit], {
      [answerPath("req1")]: () => ({ status: 200, json: { runId: "r1", requestId: "req1" } }),
    });
    fireEvent.click(screen.getByRole("button", { name: "Deny…" }));
    const input = screen.getByLabelText(/Tell Claude why/) as HTMLInputElement;
    await waitFor(() => expect(document.activeElement).toBe(input));
    fireEvent.input(input, { target: { value: "Use pnpm instead" } });
    fireEvent.submit(input.closest("form") as HTMLFormElement);
    await waitFor(() =>
      expect(s.calls[0]?.body).toEqual({
        decision: "deny",
        scope: "once",
        message: "Use pnpm instead",
      }),
    );
    s.t.apply(
      entries(
        "r1",
        [ev.permissionAnswered("req1", "deny", "once", "user", { message: "Use pnpm instead" })],
        3,
      ),
    );
    await waitFor(() =>
      expect(s.container.querySelector(".request.done")?.textContent).toContain(
        "“Use pnpm instead”",
      ),
    );
  });

  it("Escape closes the deny message and gives the focus back to Deny…", async () => {
    setup([npmInit]);
    const deny = screen.getByRole("button", { name: "Deny…" });
    fireEvent.click(deny);
    const input = screen.getByLabelText(/Tell Claude why/);
    fireEvent.keyDown(input, { key: "Escape" });
    expect(screen.queryByLabelText(/Tell Claude why/)).toBeNull();
    expect(document.activeElement).toBe(deny);
  });

  it("shows an answer from elsewhere (another viewer, the policy, the timeout) without a click", async () => {
    const s = setup([
      npmInit,
      ev.permissionRequest("req2", "Write", { file_path: "/x/a.ts" }),
      ev.permissionRequest("req3", "Bash", { command: "ls" }),
    ]);
    s.t.apply(
      entries(
        "r1",
        [
          ev.permissionAnswered("req1", "allow", "once", "policy"),
          ev.permissionAnswered("req2", "deny", "once", "timeout"),
          ev.permissionAnswered("req3", "deny", "once", "run_ended"),
        ],
        5,
      ),
    );
    await waitFor(() => expect(s.container.querySelectorAll(".request.done")).toHaveLength(3));
    const text = s.container.textContent ?? "";
    expect(text).toContain("Allowed automatically");
    expect(text).toContain("Denied: nobody answered in time");
    expect(text).toContain("Not answered: the run ended");
    expect(s.calls).toEqual([]);
  });

  it("says nothing more when someone else answered first (409), and why when the request is gone (404)", async () => {
    setup([npmInit, ev.permissionRequest("req2", "Bash", { command: "ls" })], {
      [answerPath("req1")]: () => ({
        status: 409,
        json: { error: { code: "already_answered", message: "already answered" } },
      }),
      [answerPath("req2")]: () => ({ status: 404 }),
    });
    const [first, second] = screen.getAllByRole("button", { name: "Allow once" });
    fireEvent.click(first as HTMLElement);
    fireEvent.click(second as HTMLElement);
    await waitFor(() => expect(screen.getAllByRole("alert")).toHaveLength(1));
    expect(screen.getByRole("alert").textContent).toMatch(/no longer waiting/);
    // Buttons are usable again after a failure.
    expect((first as HTMLButtonElement).disabled).toBe(false);
  });

  it("says a request nobody answered before the run ended", async () => {
    const s = setup([npmInit]);
    s.t.apply(entries("r1", [ev.finished("r1", "cancelled")], 3));
    await waitFor(() =>
      expect(s.container.querySelector(".request.expired")?.textContent).toContain(
        "Not answered: the run ended",
      ),
    );
  });
});
