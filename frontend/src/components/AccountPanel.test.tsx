import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { AccountPanel } from "./AccountPanel.js";
import { createAccountStore } from "../stores/account.js";
import { makeServices } from "../test-support.js";

const status = (loggedIn: boolean) => ({
  target: "local",
  cliVersion: "2.1.330",
  loggedIn,
  kind: loggedIn ? "subscription" : "none",
  method: loggedIn ? "claude.ai" : "none",
  apiKeySource: null,
  subscription: loggedIn ? "max" : null,
  expiresAt: null,
  stored: null,
  error: null,
  checkedAt: "2026-11-29T00:00:00.000Z",
});

describe("the Account panel, for the keyboard", () => {
  afterEach(cleanup);

  it("moves the focus to each next step of the login: the code, then back to the login button", async () => {
    let loggedIn = false;
    const s = makeServices({
      "GET /api/account?fresh=1": () => ({ status: 200, json: status(loggedIn) }),
      "POST /api/account/login": () => ({
        status: 200,
        json: { loginId: "l1", url: "https://claude.ai/oauth/authorize?x=1" },
      }),
      "POST /api/account/login/l1": (body) => {
        const good = (body as { code: string }).code === "good";
        loggedIn = good;
        return good
          ? { status: 200, json: { ok: true, message: "Login successful." } }
          : { status: 400, json: { error: { code: "bad_request", message: "Invalid code." } } };
      },
    });
    const account = createAccountStore(s.services.api);
    render(s.wrap(() => <AccountPanel account={account} onClose={() => {}} />));
    const start = await screen.findByRole("button", { name: "Log in with Claude" });
    await waitFor(() => expect(start.hasAttribute("disabled")).toBe(false));

    // The button makes way for the steps: the keyboard is in the code field, not on the page.
    start.focus();
    fireEvent.click(start);
    const code = await screen.findByLabelText("Paste the code it shows");
    await waitFor(() => expect(document.activeElement).toBe(code));

    // A refused code ends that login: the keyboard is on the button that starts another.
    fireEvent.input(code, { target: { value: "bad" } });
    fireEvent.submit(code.closest("form") as HTMLFormElement);
    await screen.findByText("Invalid code.");
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole("button", { name: "Log in with Claude" }),
      ),
    );

    fireEvent.click(screen.getByRole("button", { name: "Log in with Claude" }));
    const again = await screen.findByLabelText("Paste the code it shows");
    await waitFor(() => expect(document.activeElement).toBe(again));
    fireEvent.input(again, { target: { value: "good" } });
    fireEvent.submit(again.closest("form") as HTMLFormElement);
    await screen.findByText(/Connected with a Claude subscription/);
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole("button", { name: "Log in with Claude" }),
      ),
    );
  });
});
