import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { FilesPanel } from "./FilesPanel.js";
import { makeServices, meta } from "../test-support.js";

const ID = "abcdefghijklmnopqrstu";
const entry = (name: string) => ({ name, type: "file", size: 10, mtime: 0 });

describe("the Files tab", () => {
  afterEach(cleanup);

  it("lists the project and reads the open file again when a run of the idea ends, without Refresh", async () => {
    // The build writes kite.ts and rewrites the open notes.txt.
    let entries: ReturnType<typeof entry>[] = [entry("notes.txt")];
    let notes = "first words";
    let active: string | null = null;
    const s = makeServices({
      [`GET /api/ideas/${ID}`]: () => ({ status: 200, json: meta(ID, { activeRunId: active }) }),
      [`GET /api/ideas/${ID}/files?path=`]: () => ({
        status: 200,
        json: { path: "", entries, truncated: false },
      }),
      [`GET /api/ideas/${ID}/files/content?path=notes.txt`]: () => ({
        status: 200,
        json: { path: "notes.txt", size: 5, content: notes, binary: false, truncated: false },
      }),
    });
    await s.services.ideas[1].changed(ID);
    render(s.wrap(() => <FilesPanel ideaId={ID} />));
    fireEvent.click(await screen.findByRole("button", { name: "notes.txt" }));
    await waitFor(() => expect(screen.getByText("first words")).toBeTruthy());

    active = "run-1";
    await s.services.ideas[1].changed(ID);
    entries = [entry("kite.ts"), entry("notes.txt")];
    notes = "rewritten by the build";
    active = null;
    await s.services.ideas[1].changed(ID);
    await waitFor(() => expect(screen.getByRole("button", { name: "kite.ts" })).toBeTruthy());
    await waitFor(() => expect(screen.getByText("rewritten by the build")).toBeTruthy());
  });
});
