import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@solidjs/testing-library";
import { editLines, ToolInput } from "./ToolInput.js";

describe("ToolInput", () => {
  afterEach(cleanup);

  it("shows what a Write creates as a highlighted file, with real line breaks", () => {
    const content = 'const a = "x";\nconst b = 2;\n';
    const { container } = render(() => (
      <ToolInput name="Write" input={{ file_path: "/p/src/a.ts", content }} />
    ));
    const code = container.querySelector("pre.code code");
    expect(code?.textContent).toBe(content);
    expect(code?.querySelector(".hljs-keyword")?.textContent).toBe("const");
    expect(container.textContent).not.toContain("\\n");
  });

  it("keeps a hostile file inert: the content is text, not markup", () => {
    const content = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const { container } = render(() => (
      <ToolInput name="Write" input={{ file_path: "/p/index.html", content }} />
    ));
    expect(container.querySelector("img, script")).toBeNull();
    expect(container.querySelector("pre.code")?.textContent).toBe(content);
  });

  it("shows an Edit as a diff of its old and new text", () => {
    const { container } = render(() => (
      <ToolInput
        name="Edit"
        input={{
          file_path: "/p/a.ts",
          old_string: "keep\nold line\n",
          new_string: "keep\nnew line\nmore\n",
        }}
      />
    ));
    const lines = [...container.querySelectorAll(".diff-line")].map((l) => [
      l.className.replace("diff-line diff-", ""),
      l.textContent,
    ]);
    expect(lines).toEqual([
      ["same", " keep\n"],
      ["del", "-removed: old line\n"],
      ["add", "+added: new line\n"],
      ["add", "+added: more\n"],
    ]);
  });

  it("falls back to the JSON for other tools and for inputs of another shape", () => {
    const { container } = render(() => (
      <>
        <ToolInput name="Bash" input={{ command: "ls" }} />
        <ToolInput name="Write" input={{ file_path: 3 }} />
      </>
    ));
    const pres = [...container.querySelectorAll("pre.plain")].map((p) => p.textContent);
    expect(pres).toEqual(['{\n  "command": "ls"\n}', '{\n  "file_path": 3\n}']);
  });

  it("diffs by lines, with no empty line for the final newline", () => {
    expect(editLines("a\n", "a\nb\n")).toEqual([
      { kind: "same", text: "a" },
      { kind: "add", text: "b" },
    ]);
  });
});
