import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { makeServices } from "../test-support.js";
import { Chat } from "./Chat.js";

describe("Chat", () => {
  afterEach(cleanup);

  it("offers the way back to the list when its idea was deleted elsewhere", async () => {
    const s = makeServices({ "GET /api/ideas": () => ({ status: 200, json: [] }) });
    await s.services.ideas[1].refresh();
    let back = 0;
    render(s.wrap(() => <Chat ideaId="abcdefghijklmnopqrstu" onBack={() => back++} />));
    await waitFor(() => expect(screen.getByText(/does not exist/)).toBeTruthy());
    fireEvent.click(screen.getByRole("button", { name: "← Back to ideas" }));
    expect(back).toBe(1);
  });
});
