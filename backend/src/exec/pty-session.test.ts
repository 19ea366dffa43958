import { describe, expect, it } from "vitest";
import { markedPtyScript, newPtyId, ptyStopScript, signalName } from "./pty-session.js";

describe("PTY session scripts", () => {
  it("marks the script with its id before anything else runs", () => {
    const id = newPtyId();
    expect(markedPtyScript(id, "exec bash -l")).toBe(
      `CATALYST_PTY_ID='${id}'; export CATALYST_PTY_ID\nexec bash -l`,
    );
  });

  it("refuses an id that is not one of ours, since it goes into a shell script", () => {
    expect(() => markedPtyScript("x'; rm -rf ~", "true")).toThrow(/not a PTY id/);
    expect(() => ptyStopScript("")).toThrow(/not a PTY id/);
  });

  it("names signals as the rest of the backend does", () => {
    expect(signalName(9)).toBe("SIGKILL");
    expect(signalName(0)).toBeNull();
    expect(signalName(undefined)).toBeNull();
  });
});
