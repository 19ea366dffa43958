import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.test-helpers.js";
import { createThrottle } from "./throttle.js";
import { keysEqual } from "./secret.js";

const manualClock = (start = 0) => new ManualClock(start);

describe("throttle", () => {
  it("lets an address fail 5 times a minute, then makes it wait until the oldest failure ages out", () => {
    const clock = manualClock();
    const t = createThrottle(clock, { perSource: 5, global: 100, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      expect(t.retryAfter("a")).toBe(0);
      t.fail("a");
      clock.advance(1000);
    }
    expect(t.retryAfter("a")).toBe(55);
    expect(t.retryAfter("b")).toBe(0);
    clock.advance(55_000);
    expect(t.retryAfter("a")).toBe(0);
  });
});

describe("global throttle", () => {
  it("makes every address wait once many addresses have failed within the window (one failure each)", () => {
    const clock = manualClock();
    const t = createThrottle(clock, { perSource: 5, global: 30, windowMs: 60_000 });
    for (let i = 0; i < 30; i++) {
      expect(t.retryAfter(`10.0.0.${i}`)).toBe(0);
      t.fail(`10.0.0.${i}`);
    }
    expect(t.retryAfter("10.0.1.1")).toBeGreaterThan(0);
    expect(t.retryAfter("10.0.0.0")).toBeGreaterThan(0);
    clock.advance(60_001);
    expect(t.retryAfter("10.0.1.1")).toBe(0);
  });
});

describe("keysEqual", () => {
  it("compares whole keys, whatever their lengths", () => {
    expect(keysEqual("secret-key", "secret-key")).toBe(true);
    expect(keysEqual("secret-ke", "secret-key")).toBe(false);
    expect(keysEqual("", "secret-key")).toBe(false);
  });
});
