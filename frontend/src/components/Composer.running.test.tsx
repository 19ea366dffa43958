import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { Composer } from "./Composer.js";
import { makeServices } from "../test-support.js";
import { entries, ev } from "../stores/fixtures.js";

const ID = "abcdefghijklmnopqrstu";

describe("Composer during a run", () => {
  afterEach(cleanup);

  it("stays usable: the message goes to the running session (202 queued)", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "r1", queued: true } }),
    });
    const t = s.transcript(ID);
    t.apply(entries("r1", [ev.started("r1", "build it", "build")]));
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    expect(box.readOnly).toBe(false);
    const send = screen.getByRole("button", { name: "Send to the running session" });
    expect((send as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(box, { target: { value: "also write a README" } });
    fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]).toEqual({
      method: "POST",
      path: `/api/ideas/${ID}/chat`,
      body: { message: "also write a README" },
    });
    await waitFor(() => expect(box.value).toBe(""));
    // Nothing is added before the server records it: its user_message_queued is what shows.
    expect(t.items().map((i) => i.kind)).toEqual(["user"]);
    // Still the run's composer: cancel is there, and the box is still usable.
    expect(screen.getByRole("button", { name: "Cancel run" })).toBeTruthy();
    expect(box.readOnly).toBe(false);
  });

  it("is read-only while the run is being cancelled", async () => {
    const s = makeServices({});
    const t = s.transcript(ID);
    t.apply(entries("r1", [ev.started("r1", "hi"), ev.cancel("r1")]));
    render(s.wrap(() => <Composer ideaId={ID} transcript={t} />));
    expect((screen.getByLabelText("Message") as HTMLTextAreaElement).readOnly).toBe(true);
  });

  it("asks for notifications on the first Build, and not before", async () => {
    const s = makeServices({
      [`POST /api/ideas/${ID}/chat`]: () => ({ status: 202, json: { runId: "c1" } }),
      [`POST /api/ideas/${ID}/build`]: () => ({ status: 202, json: { runId: "b1" } }),
    });
    render(s.wrap(() => <Composer ideaId={ID} transcript={s.transcript(ID)} />));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: "hello" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.attention.asked()).toBe(0);
    cleanup();
    render(s.wrap(() => <Composer ideaId={ID} transcript={s.transcript("b".repeat(21))} />));
    fireEvent.click(screen.getByText("Build"));
    fireEvent.click(screen.getByText("Start building"));
    await waitFor(() => expect(s.calls).toHaveLength(2));
    expect(s.attention.asked()).toBe(1);
  });
});
