import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { Composer } from "./Composer.js";
import { makeServices } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";

const ID = "abcdefghijklmnopqrstu";

describe("Composer", () => {
  afterEach(cleanup);

  it("sends on Enter, keeps Shift+Enter as a new line", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1" } }),
    });
    render(s.wrap(() => <Composer ideaId={ID} transcript={s.transcript(ID)} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "line one" } });
    fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(s.calls).toHaveLength(0);
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]).toEqual({
      method: "POST",
      path: `/api/ideas/${ID}/chat`,
      body: { message: "line one" },
    });
    await waitFor(() => expect(box.value).toBe(""));
  });

  it("says why while a run is active (the box takes a message into it), and offers cancel", async () => {
    const s = makeServices({ [`POST /api/ideas/${ID}/cancel`]: () => ({ status: 202, json: {} }) });
    const t = s.transcript(ID);
    t.apply(entries("r1", [ev.started("r1", "hi")]));
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    // Writable during the run: what is written goes into the running session.
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    expect(box.readOnly).toBe(false);
    expect(screen.getByRole("status").textContent).toContain("Claude is answering");
    expect(screen.queryByText("Send")).toBeNull();
    fireEvent.click(screen.getByText("Cancel run"));
    await waitFor(() => expect(screen.getAllByText("Cancelling…").length).toBeGreaterThan(0));
    expect(s.calls.map((c) => c.path)).toEqual([`/api/ideas/${ID}/cancel`]);
    t.apply(entries("r1", [ev.finished("r1", "cancelled")], 2));
    await waitFor(() => expect(screen.getByText("Send")).toBeTruthy());
  });

  it("shows what the run is doing next to the reason, until the run ends", async () => {
    const s = makeServices({});
    const t = s.transcript(ID);
    t.apply(
      entries("r1", [
        ev.started("r1", "hi"),
        ev.notice("status", "info", "Status: requesting", { status: "requesting" }),
      ]),
    );
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    expect(screen.getByRole("status").textContent).toContain("Claude is answering… · Requesting…");
    t.apply(entries("r1", [ev.finished("r1")], 3));
    await waitFor(() => expect(screen.queryByRole("status")).toBeNull());
    expect(screen.queryByText(/Requesting/)).toBeNull();
  });

  it("asks before building and posts build only after confirmation", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/build`]: () => ({ status: 202, json: { runId: "b1" } }),
    });
    render(s.wrap(() => <Composer ideaId={ID} transcript={s.transcript(ID)} />));
    fireEvent.click(screen.getByText("Build"));
    expect(screen.getByRole("dialog").textContent).toContain("local");
    fireEvent.click(screen.getByText("Cancel"));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(s.calls).toHaveLength(0);
    fireEvent.click(screen.getByText("Build"));
    fireEvent.click(screen.getByText("Start building"));
    await waitFor(() => expect(s.calls.map((c) => c.path)).toEqual([`/api/ideas/${ID}/build`]));
  });

  it("shows a busy refusal in plain words in the chat", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({
        status: 409,
        json: { error: { code: "busy", message: "a run is already active" } },
      }),
    });
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "again" } });
    fireEvent.click(screen.getByText("Send"));
    await waitFor(() => expect(t.items()).toHaveLength(1));
    const item = t.items()[0];
    expect(item?.kind === "error" && item.message).toMatch(/already working on this idea/);
    expect(box.value).toBe("again");
  });

  it("keeps the keyboard in the box after sending, and brings it back when the run ends", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1" } }),
    });
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    box.focus();
    fireEvent.input(box, { target: { value: "hello" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(s.calls).toHaveLength(1));
    t.apply(entries("r1", [ev.started("r1", "hello")]));
    expect(document.activeElement).toBe(box);
    // The Cancel button had the focus and is gone when the run ends: the box takes it back.
    screen.getByText("Cancel run").focus();
    t.apply(entries("r1", [ev.finished("r1")], 2));
    await waitFor(() => expect(document.activeElement).toBe(box));
  });

  it("gives a failed run's message back to the box, and Retry sends it again", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1" } }),
    });
    const t = s.transcript(ID);
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "plan the renamer" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(box.value).toBe(""));
    expect(screen.queryByText("Retry")).toBeNull();
    t.apply(
      entries("r1", [
        ev.started("r1", "plan the renamer"),
        ev.finished("r1", "failed", "API Error: 500"),
      ]),
    );
    await waitFor(() => expect(box.value).toBe("plan the renamer"));
    fireEvent.click(screen.getByText("Retry"));
    await waitFor(() => expect(s.calls).toHaveLength(2));
    expect(s.calls[1]?.body).toEqual({ message: "plan the renamer" });
    await waitFor(() => expect(box.value).toBe(""));
  });

  it("offers Retry build for a failed build, and nothing after a completed run", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/build`]: () => ({ status: 202, json: { runId: "r2" } }),
    });
    const t = s.transcript(ID);
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.finished("r1", "completed")]));
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    expect(screen.queryByText(/Retry/)).toBeNull();
    t.apply(
      entries("r2", [ev.started("r2", "Build it", "build"), ev.finished("r2", "timed_out")], 3),
    );
    fireEvent.click(await screen.findByText("Retry build"));
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]).toMatchObject({
      path: `/api/ideas/${ID}/build`,
      body: { message: "Build it" },
    });
  });
});
