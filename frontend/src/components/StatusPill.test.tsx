import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@solidjs/testing-library";
import { StatusPill } from "./StatusPill.js";

describe("StatusPill", () => {
  afterEach(cleanup);

  it("names how the last build ended in words, and marks a run going on", () => {
    const { container } = render(() => (
      <>
        <StatusPill status="build_failed" running={false} />
        <StatusPill status="built" running={true} />
      </>
    ));
    const [failed, built] = [...container.querySelectorAll(".pill")];
    expect(failed?.textContent).toBe("build failed");
    expect(failed?.classList.contains("status-build_failed")).toBe(true);
    expect(built?.textContent).toBe("built, running");
    expect(built?.querySelector(".pulse")).not.toBeNull();
  });
});
