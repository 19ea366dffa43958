import { describe, expect, it } from "vitest";
import { AppError } from "../http/app-error.js";
import { relativePath, resolveLines } from "./safe-path.js";

describe("relativePath", () => {
  it("normalizes the forms of one path", () => {
    expect(relativePath(undefined)).toBe("");
    expect(relativePath("")).toBe("");
    expect(relativePath(".")).toBe("");
    expect(relativePath("./src//app.ts/")).toBe("src/app.ts");
    expect(relativePath("a..b/..c")).toBe("a..b/..c");
  });

  it("refuses absolute paths, '..', the home folder, backslashes and control characters", () => {
    for (const bad of [
      "/etc/passwd",
      "..",
      "a/../..",
      "a/..",
      "~/x",
      "~",
      "a\\b",
      "a\nb",
      "a\0b",
    ]) {
      expect(() => relativePath(bad)).toThrow(AppError);
    }
  });

  it("quotes the path for the shell, so a name cannot run anything", () => {
    expect(resolveLines("it's $(id)").join("\n")).toContain(`"$root"/'it'\\''s $(id)'`);
  });
});
