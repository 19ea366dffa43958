import { describe, expect, it } from "vitest";
import { terminalText } from "./terminal-text.js";

describe("terminalText", () => {
  it("keeps the visible URL of the real CLI's OSC 8 hyperlink and drops colours", () => {
    const url = "https://claude.ai/oauth/authorize?code=true&client_id=abc";
    const raw = `If the browser didn't open, visit:\r\n\x1b]8;;${url}\x07\x1b[94m${url}\x1b[39m\x1b]8;;\x07\r\nPaste code here if prompted > `;
    expect(terminalText(raw)).toBe(
      `If the browser didn't open, visit:\n${url}\nPaste code here if prompted > `,
    );
  });

  it("turns cursor moves between words into spaces (setup-token's screen)", () => {
    expect(terminalText("\x1b[2G\x1b[1mThis\x1b[7Gwill\x1b[12Gguide\x1b[22m\r\r\n")).toBe(
      " This will guide\n\n",
    );
  });
});
