import { describe, expect, it } from "vitest";
import { makeHostCheck } from "./host-check.js";

describe("host check (DNS rebinding)", () => {
  const allowed = makeHostCheck(["0.0.0.0", "catalyst.lan", " Dev.Example.com "]);

  it("accepts loopback names and addresses, any IP literal, and the configured names (any case, any port)", () => {
    for (const host of [
      "localhost",
      "localhost:3000",
      "app.localhost:3000",
      "127.0.0.1:3000",
      "[::1]:3000",
      "192.168.1.20",
      "catalyst.lan:8080",
      "CATALYST.LAN",
      "dev.example.com",
    ]) {
      expect(allowed(host), host).toBe(true);
    }
  });

  it("refuses any other name, a missing Host and one that does not parse", () => {
    for (const host of [
      "attacker.example",
      "attacker.example:3000",
      "localhost.attacker.example",
      "0.0.0.0.attacker.example",
      undefined,
      "",
      "a b",
      "http://x",
    ]) {
      expect(allowed(host), String(host)).toBe(false);
    }
  });
});
