import { describe, expect, it } from "vitest";
import { parseRunStatus, statusScript } from "./run-status.js";

describe("parseRunStatus", () => {
  it("reads a running run, an ended one and a missing folder", () => {
    expect(
      parseRunStatus(
        "folder=1\npgid=4242\nalive=1\nout_bytes=10\nerr_bytes=0\nlast_write_ms=1700000000123\nnow_ms=1700000000999\n",
      ),
    ).toEqual({
      success: true,
      data: {
        folder: true,
        pgid: 4242,
        exit: null,
        orphaned: false,
        alive: true,
        outBytes: 10,
        errBytes: 0,
        lastWriteMs: 1700000000123,
        nowMs: 1700000000999,
      },
    });
    const ended = parseRunStatus(
      "folder=1\npgid=7\nexit=130\norphaned=1\nalive=0\nout_bytes=1\nerr_bytes=2\nlast_write_ms=0\nnow_ms=5\n",
    );
    expect(ended.success && ended.data).toMatchObject({ exit: 130, orphaned: true, alive: false });
    expect(parseRunStatus("folder=0\n")).toEqual({ success: true, data: { folder: false } });
  });

  it("names what is wrong instead of guessing", () => {
    expect(parseRunStatus("")).toMatchObject({ success: false });
    expect(parseRunStatus("folder=1\nalive=1\n")).toMatchObject({
      success: false,
      error: expect.stringMatching(/out_bytes/),
    });
    expect(
      parseRunStatus(
        "folder=1\nexit=x\nalive=0\nout_bytes=0\nerr_bytes=0\nlast_write_ms=0\nnow_ms=0",
      ),
    ).toMatchObject({ success: false, error: expect.stringMatching(/exit/) });
    expect(parseRunStatus("garbage")).toMatchObject({
      success: false,
      error: expect.stringMatching(/garbage/),
    });
  });

  it("refuses run ids that are not", () => {
    expect(() => statusScript("/r", "abcdefghijklmnopqrstu", "a'b")).toThrow(/run id/);
  });
});
