import { describe, expect, it } from "vitest";
import { createRunCost } from "./run-cost.js";

describe("run cost", () => {
  it("takes the session's earlier total off a resumed run's restored total", () => {
    const cost = createRunCost(0.001376);
    expect(cost.observe(0.002848)).toEqual({ own: 0.001472, added: 0.001472 });
  });

  it("counts nothing for a failed resumed run that only repeats the restored total", () => {
    const cost = createRunCost(0.002848);
    expect(cost.observe(0.002848)).toEqual({ own: 0, added: 0 });
  });

  it("counts a repeated result within one run once", () => {
    const cost = createRunCost(0);
    expect(cost.observe(0.5)).toEqual({ own: 0.5, added: 0.5 });
    expect(cost.observe(0.5)).toEqual({ own: 0.5, added: 0 });
    expect(cost.observe(0.75)).toEqual({ own: 0.75, added: 0.25 });
  });

  it("takes a total below the base as the run's own (the CLI did not restore the session's cost)", () => {
    const cost = createRunCost(0.5);
    expect(cost.observe(0.25)).toEqual({ own: 0.25, added: 0.25 });
    expect(cost.observe(0.75)).toEqual({ own: 0.75, added: 0.5 });
  });

  it("drops the base when the run turned out to start a new session", () => {
    const cost = createRunCost(0.5);
    cost.newSession();
    expect(cost.observe(0.6)).toEqual({ own: 0.6, added: 0.6 });
  });

  it("goes on from what a reattached run had counted before the restart: nothing twice", () => {
    const cost = createRunCost(0.25, 0.5);
    expect(cost.observe(0.75)).toEqual({ own: 0.5, added: 0 });
    expect(cost.observe(1)).toEqual({ own: 0.75, added: 0.25 });
  });
});
