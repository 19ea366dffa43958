import { describe, expect, it } from "vitest";
import { markdownToHtml } from "./render.js";

// Sanitizing is asserted in real Chromium (test/e2e): happy-dom's DOM is not faithful enough for
// DOMPurify (it keeps handlers there), so a pass here would prove nothing.
describe("markdownToHtml", () => {
  it("renders Markdown with highlighted code", () => {
    const html = markdownToHtml("# Title\n\nSome **bold**.\n\n```ts\nconst x: number = 1;\n```\n");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('class="hljs-keyword"');
    expect(html).toContain('<span class="code-lang">ts</span>');
  });

  it("escapes HTML inside code blocks of unknown languages", () => {
    const html = markdownToHtml("```weird\n<script>alert(1)</script>\n```");
    expect(html).toContain("&#60;script&#62;");
    expect(html).not.toContain("<script>");
  });
});
