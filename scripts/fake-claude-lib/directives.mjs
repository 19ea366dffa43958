// `@fake <name> [key=value ...]` lines in a prompt -> the scenario steps to run, in order.

const DIRECTIVE = /^\s*@fake\s+([a-z][a-z0-9-]*)(.*)$/;
// key=value, key="value with spaces and \" escapes", or key='single quoted'
const PARAM = /([A-Za-z_][A-Za-z0-9_-]*)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))/g;

/** @returns {{ name: string, params: Record<string, string> }[]} */
export function parseDirectives(prompt) {
  const steps = [];
  for (const line of prompt.split(/\r?\n/)) {
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    steps.push({ name: m[1], params: parseParams(m[2]) });
  }
  return steps;
}

/** `FAKE_CLAUDE_SCENARIO` may hold one directive without the `@fake` prefix: `slow count=3`. */
export function parseScenarioEnv(value) {
  const text = value.trim();
  if (!text) return [];
  return parseDirectives(text.startsWith("@fake") ? text : `@fake ${text}`);
}

function parseParams(text) {
  const params = {};
  for (const m of text.matchAll(PARAM)) {
    params[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? m[4] ?? "");
  }
  return params;
}
