import { describe, expect, it } from "vitest";
import { describeError } from "./messages.js";

describe("describeError", () => {
  it("says a busy idea once, without the server's restatement in brackets", () => {
    const text = describeError({
      code: "busy",
      message: "this idea already has a run going; wait or cancel it",
    });
    expect(text).toBe(
      "Claude is already working on this idea. Wait for it to finish, or cancel it.",
    );
  });

  it("keeps the server's words where they add something (which limit, what failed)", () => {
    expect(
      describeError({ code: "too_large", message: "message is 300 KB, the limit is 256 KB" }),
    ).toBe("That message is too large to send. (message is 300 KB, the limit is 256 KB)");
    expect(describeError({ code: "bad_request", message: "The title is empty." })).toBe(
      "The title is empty.",
    );
  });
});
