import { afterEach, describe, expect, it } from "vitest";
import { Show } from "solid-js";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { makeServices, meta } from "../test-support.js";
import { IdeaHeader } from "./IdeaHeader.js";

const ID = "abcdefghijklmnopqrstu";

describe("ApprovalPolicy in the idea header", () => {
  afterEach(cleanup);

  it("shows the policy and switches it with PATCH {approvals}", async () => {
    let approvals = "ask";
    const s = makeServices({
      [`GET /api/ideas`]: () => ({ status: 200, json: [meta(ID, { approvals })] }),
      [`PATCH /api/ideas/${ID}`]: (body) => {
        approvals =
          body !== null && typeof body === "object" && "approvals" in body
            ? String(body.approvals)
            : approvals;
        return { status: 200, json: meta(ID, { approvals }) };
      },
    });
    await s.services.ideas[1].refresh();
    render(
      s.wrap(() => (
        <Show when={s.services.ideas[1].byId(ID)}>
          {(idea) => (
            <IdeaHeader idea={idea()} running={false} onBack={() => {}} onDeleted={() => {}} />
          )}
        </Show>
      )),
    );
    const sw = screen.getByRole("switch");
    expect(sw.getAttribute("aria-checked")).toBe("false");
    expect(sw.textContent).toContain("Approvals: ask");
    fireEvent.click(sw);
    await waitFor(() =>
      expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true"),
    );
    expect(screen.getByRole("switch").textContent).toContain("Approvals: auto");
    expect(s.calls.filter((c) => c.method === "PATCH")).toEqual([
      {
        method: "PATCH",
        path: `/api/ideas/${ID}`,
        body: { approvals: "auto" },
      },
    ]);
  });

  it("says in words when the switch did not take, and keeps the policy as it was", async () => {
    const s = makeServices({
      [`GET /api/ideas`]: () => ({ status: 200, json: [meta(ID, { approvals: "auto" })] }),
      [`PATCH /api/ideas/${ID}`]: () => ({
        status: 500,
        json: { error: { code: "internal", message: "disk full" } },
      }),
    });
    await s.services.ideas[1].refresh();
    const idea = s.services.ideas[1].byId(ID);
    if (!idea) throw new Error("no idea");
    render(
      s.wrap(() => (
        <IdeaHeader idea={idea} running={false} onBack={() => {}} onDeleted={() => {}} />
      )),
    );
    fireEvent.click(screen.getByRole("switch"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("disk full"));
    expect(screen.getByRole("switch").getAttribute("aria-checked")).toBe("true");
  });
});
