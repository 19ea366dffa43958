import { afterEach, describe, expect, it } from "vitest";
import { createSignal } from "solid-js";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { ideaMetaSchema } from "@catalyst/shared";
import { IdeaHeader } from "./IdeaHeader.js";
import { makeServices, meta } from "../test-support.js";

const ID = "abcdefghijklmnopqrstu";
/** The calls that change something (the header also reads the idea's usage). */
const writes = <C extends { method: string }>(s: { calls: C[] }) =>
  s.calls.filter((c) => c.method !== "GET");

describe("IdeaHeader", () => {
  afterEach(cleanup);

  it("drops the draft on Escape (even when the input's removal blurs it), saves on Enter", async () => {
    const s = makeServices({
      [`PATCH /api/ideas/${ID}`]: (body) => ({
        status: 200,
        json: meta(ID, { title: (body as { title: string }).title }),
      }),
    });
    const idea = ideaMetaSchema.parse(meta(ID, { title: "Photo renamer" }));
    render(
      s.wrap(() => (
        <IdeaHeader idea={idea} running={false} onBack={() => {}} onDeleted={() => {}} />
      )),
    );
    const renameButton = screen.getByRole("button", { name: "Rename" });
    fireEvent.click(renameButton);
    let input = screen.getByLabelText("Idea title") as HTMLInputElement;
    fireEvent.input(input, { target: { value: "Not this" } });
    fireEvent.keyDown(input, { key: "Escape" });
    fireEvent.blur(input);
    await Promise.resolve();
    expect(writes(s)).toHaveLength(0);
    expect(screen.queryByLabelText("Idea title")).toBeNull();
    expect(document.activeElement).toBe(renameButton);

    fireEvent.click(renameButton);
    input = screen.getByLabelText("Idea title") as HTMLInputElement;
    fireEvent.input(input, { target: { value: "Photo renamer, v2" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(writes(s)).toHaveLength(1));
    expect(writes(s)[0]?.body).toEqual({ title: "Photo renamer, v2" });
    await waitFor(() => expect(document.activeElement).toBe(renameButton));
  });

  it("offers Delete only when no run goes, and says the project folder stays", async () => {
    const s = makeServices({});
    const idea = ideaMetaSchema.parse(meta(ID, { title: "Photo renamer" }));
    const [running, setRunning] = createSignal(true);
    render(
      s.wrap(() => (
        <IdeaHeader idea={idea} running={running()} onBack={() => {}} onDeleted={() => {}} />
      )),
    );
    const del = screen.getByRole("button", { name: "Delete" }) as HTMLButtonElement;
    expect(del.disabled).toBe(true);
    setRunning(false);
    expect(del.disabled).toBe(false);
    fireEvent.click(del);
    const dialog = screen.getByRole("dialog");
    expect(dialog.textContent).toMatch(/project folder Claude worked in on local stays/);
    expect(writes(s)).toHaveLength(0);
  });
});
