import { describe, expect, it } from "vitest";
import { keyArgument } from "./tool-view.js";

describe("keyArgument", () => {
  const cwd = "/home/me/catalyst/ideas/AbC123/project";

  it("shows a path inside the run's folder relative to it", () => {
    expect(keyArgument({ file_path: `${cwd}/src/index.ts` }, cwd)).toBe("src/index.ts");
    expect(keyArgument({ path: `${cwd}/docs` }, `${cwd}/`)).toBe("docs");
  });

  it("leaves other paths, the folder itself, and commands as they are", () => {
    expect(keyArgument({ file_path: "/etc/passwd" }, cwd)).toBe("/etc/passwd");
    expect(keyArgument({ path: cwd }, cwd)).toBe(cwd);
    expect(keyArgument({ file_path: `${cwd}-other/a.ts` }, cwd)).toBe(`${cwd}-other/a.ts`);
    expect(keyArgument({ command: "ls -la\nrm -rf x" }, cwd)).toBe("ls -la");
    expect(keyArgument({ file_path: `${cwd}/a.ts` })).toBe(`${cwd}/a.ts`);
  });
});
