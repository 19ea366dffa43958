import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@solidjs/testing-library";
import { createSignal } from "solid-js";
import type { SocketState } from "../socket/make-socket.js";
import { makeServices } from "../test-support.js";
import { AppProvider } from "../context.js";
import { ConnectionBanner } from "./ConnectionBanner.js";

describe("ConnectionBanner", () => {
  afterEach(cleanup);

  it("stays quiet while first connecting, and says so when a live connection drops", () => {
    const { services } = makeServices({});
    const [state, setState] = createSignal<SocketState>("connecting");
    const [everOpened, setEverOpened] = createSignal(false);
    const [attempt, setAttempt] = createSignal(0);
    const s = { ...services, connection: { state, everOpened, attempt } };
    render(() => (
      <AppProvider services={s}>
        <ConnectionBanner />
      </AppProvider>
    ));
    expect(screen.queryByRole("status")).toBeNull();
    setState("open");
    setEverOpened(true);
    expect(screen.queryByRole("status")).toBeNull();
    setState("closed");
    setAttempt(3);
    expect(screen.getByRole("status").textContent).toMatch(
      /Connection lost. Reconnecting \(attempt 3\)/,
    );
    setState("open");
    expect(screen.queryByRole("status")).toBeNull();
  });
});
