import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "./shell-quote.js";

const nasty = [
  "",
  "plain",
  "it's",
  "''''",
  '$(touch /tmp/pwned) `id` $HOME ${X} \\ " ; | & > <',
  "line one\nline two\r\n\ttab",
  "ünïcødé 🚀 日本語",
  "-n",
  "*",
];

describe("shellQuote", () => {
  it.each(nasty)("makes /bin/sh see %j as one literal word", (value) => {
    const out = execFileSync("/bin/sh", ["-c", `printf '%s' ${shellQuote(value)}`]);
    expect(out.toString("utf8")).toBe(value);
  });

  it("refuses a NUL byte, which no shell word can hold", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});
