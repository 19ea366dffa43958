import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { ideaMetaSchema } from "@catalyst/shared";
import { makeServices, meta } from "../test-support.js";
import { IdeaAbout } from "./IdeaAbout.js";

const ID = "abcdefghijklmnopqrstu";

describe("IdeaAbout", () => {
  afterEach(cleanup);

  it("shows the description from capture, and saves an edit with PATCH description", async () => {
    const s = makeServices({
      [`PATCH /api/ideas/${ID}`]: (body) => ({
        status: 200,
        json: meta(ID, { description: (body as { description: string }).description }),
      }),
    });
    const idea = ideaMetaSchema.parse(meta(ID, { description: "Rename photos by date." }));
    render(s.wrap(() => <IdeaAbout idea={idea} />));
    expect(screen.getByText("Rename photos by date.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Edit description" }));
    const box = screen.getByLabelText("Description") as HTMLTextAreaElement;
    expect(box.value).toBe("Rename photos by date.");
    fireEvent.input(box, { target: { value: "Rename photos by the date they were taken." } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(s.calls).toHaveLength(1));
    expect(s.calls[0]).toMatchObject({
      method: "PATCH",
      body: { description: "Rename photos by the date they were taken." },
    });
    await waitFor(() => expect(screen.queryByLabelText("Description")).toBeNull());
  });

  it("offers to add one when there is none, and Escape drops the draft", () => {
    const s = makeServices({});
    const idea = ideaMetaSchema.parse(meta(ID, { description: "" }));
    render(s.wrap(() => <IdeaAbout idea={idea} />));
    fireEvent.click(screen.getByRole("button", { name: "Add a description" }));
    const box = screen.getByLabelText("Description");
    fireEvent.input(box, { target: { value: "Not this" } });
    fireEvent.keyDown(box, { key: "Escape" });
    expect(screen.queryByLabelText("Description")).toBeNull();
    expect(screen.getByRole("button", { name: "Add a description" })).toBeTruthy();
    expect(s.calls).toHaveLength(0);
  });
});
