import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@solidjs/testing-library";
import { makeApiClient } from "../api/client.js";
import { createSession } from "../stores/session.js";
import { fakeFetch } from "../test-support.js";
import { Login } from "./Login.js";

describe("Login", () => {
  afterEach(cleanup);

  it("says so when the key is wrong, and signs in with the right one", async () => {
    const { fetch, calls } = fakeFetch({
      "POST /api/login": (body) =>
        JSON.stringify(body) === JSON.stringify({ key: "right-key-1234567" })
          ? { status: 204 }
          : { status: 401, json: { error: { code: "unauthorized", message: "wrong key" } } },
    });
    const session = createSession(makeApiClient({ fetch }));
    render(() => <Login session={session} />);
    // True with APP_KEY set (no link is printed) and without it (a link with a new key is).
    expect(document.querySelector(".hint")?.textContent).toMatch(
      /APP_KEY.*When none is set.*sign-in link that works once/,
    );
    const input = screen.getByLabelText("Access key");
    fireEvent.input(input, { target: { value: "nope" } });
    fireEvent.click(screen.getByText("Sign in"));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toMatch(/key is not right/));
    fireEvent.input(input, { target: { value: "right-key-1234567" } });
    fireEvent.click(screen.getByText("Sign in"));
    await waitFor(() => expect(session.status()).toBe("signed_in"));
    expect(calls).toHaveLength(2);
  });
});
