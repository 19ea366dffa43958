import { describe, expect, it } from "vitest";
import { isUnsafeMethod, originMatchesHost } from "./same-origin.js";

describe("originMatchesHost", () => {
  it.each([
    ["http://127.0.0.1:3000", "127.0.0.1:3000"],
    ["HTTP://LocalHost:3000", "localhost:3000"],
    ["http://localhost:3000", "LOCALHOST:3000"],
    ["http://example.com", "example.com:80"],
    ["https://example.com:443", "example.com"],
    ["http://[::1]:3000", "[::1]:3000"],
  ])("%s is the page of host %s", (origin, host) => {
    expect(originMatchesHost(origin, host)).toBe(true);
  });

  it.each([
    ["http://127.0.0.1:8080", "127.0.0.1:3000"],
    ["http://127.0.0.1", "127.0.0.1:3000"],
    ["http://evil.example", "127.0.0.1:3000"],
    ["http://127.0.0.1:3000.evil.example", "127.0.0.1:3000"],
    ["null", "127.0.0.1:3000"],
    ["file://", "127.0.0.1:3000"],
    ["", "127.0.0.1:3000"],
    ["http://127.0.0.1:3000", undefined],
    ["http://127.0.0.1:3000", ""],
    ["http://127.0.0.1:3000", "127.0.0.1:3000/x@evil"],
  ])("%s is not the page of host %s", (origin, host) => {
    expect(originMatchesHost(origin, host)).toBe(false);
  });
});

describe("isUnsafeMethod", () => {
  it("reads only GET, HEAD and OPTIONS as safe", () => {
    expect(["GET", "head", "OPTIONS"].map(isUnsafeMethod)).toEqual([false, false, false]);
    expect(["POST", "PATCH", "DELETE", "PUT"].map(isUnsafeMethod)).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });
});
