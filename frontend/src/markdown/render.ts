// Model text to safe HTML: marked for Markdown, highlight.js for code, DOMPurify so nothing can run.
import { Marked } from "marked";
import DOMPurify from "dompurify";
import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

// A handful of languages keeps the bundle small; anything else is shown plain (still escaped).
const languages = { bash, css, diff, javascript, json, python, sql, typescript, xml, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
const aliases: Record<string, string> = {
  sh: "bash",
  shell: "bash",
  zsh: "bash",
  console: "bash",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  ts: "typescript",
  tsx: "typescript",
  py: "python",
  html: "xml",
  svg: "xml",
  yml: "yaml",
  patch: "diff",
  cjs: "javascript",
  mts: "typescript",
  cts: "typescript",
  htm: "xml",
  json5: "json",
};

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Big blocks are shown plain: highlighting 100 KB of a log would stall the page for nothing. */
const HIGHLIGHT_MAX = 20_000;

/**
 * Code as safe HTML: highlighted when the language (a name, alias or file extension) is known
 * and the text is not too long to highlight, else escaped. Used for code blocks and the files tab.
 */
export function highlightCode(text: string, lang: string, max = HIGHLIGHT_MAX): string {
  const name = lang.toLowerCase();
  const id = aliases[name] ?? name;
  return id && hljs.getLanguage(id) && text.length <= max
    ? hljs.highlight(text, { language: id, ignoreIllegals: true }).value
    : escapeHtml(text);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const name = (lang ?? "").trim().split(/\s+/)[0]?.toLowerCase() ?? "";
      const body = highlightCode(text, name);
      const label = name ? `<span class="code-lang">${escapeHtml(name)}</span>` : "";
      return `<pre class="code">${label}<code class="hljs">${body}</code></pre>`;
    },
  },
});

let hooked = false;
function purifier() {
  if (!hooked) {
    hooked = true;
    // Links leave the page in a new tab and cannot reach back into it.
    DOMPurify.addHook("afterSanitizeAttributes", (node) => {
      if (node.tagName === "A") {
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer nofollow");
      }
    });
  }
  return DOMPurify;
}

/** Markdown to HTML, NOT yet safe: only renderMarkdown's output may reach the page. */
export function markdownToHtml(text: string): string {
  return marked.parse(text, { async: false });
}

/**
 * Markdown to sanitized HTML. Images, styles and forms are removed as well as scripts and event
 * handlers: model output may quote hostile pages, and an image would load from anywhere.
 */
export function renderMarkdown(text: string): string {
  const html = markdownToHtml(text);
  // Fail closed: without a working sanitizer, show the text, never the HTML.
  if (!DOMPurify.isSupported) return `<pre>${escapeHtml(text)}</pre>`;
  return purifier().sanitize(html, {
    FORBID_TAGS: [
      "style",
      "img",
      "form",
      "input",
      "button",
      "textarea",
      "select",
      "iframe",
      "svg",
      "math",
    ],
    FORBID_ATTR: ["style"],
  });
}
