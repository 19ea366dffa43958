import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import { createLoginLinks, LOGIN_LINK_TTL_MS } from "./login-links.js";

describe("one-time login links", () => {
  it("sign in once: a second use, an expired token and a made-up one are refused", () => {
    const clock = new ManualClock(0);
    const links = createLoginLinks(clock);
    const a = links.issue();
    const b = links.issue();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(links.redeem(a)).toBe(true);
    expect(links.redeem(a)).toBe(false);
    clock.advance(LOGIN_LINK_TTL_MS);
    expect(links.redeem(b)).toBe(false);
    expect(links.redeem("made-up")).toBe(false);
  });
});
