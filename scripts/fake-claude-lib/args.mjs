// Command-line flags, parsed and checked the way the real `claude` CLI does (same messages, same exit codes).

export const ALL_TOOLS = [
  "Task",
  "Bash",
  "Glob",
  "Grep",
  "ExitPlanMode",
  "Read",
  "Edit",
  "Write",
  "NotebookEdit",
  "WebFetch",
  "TodoWrite",
  "WebSearch",
  "BashOutput",
  "KillShell",
  "Skill",
  "SlashCommand",
  "AskUserQuestion",
];
const PERMISSION_MODES = ["acceptEdits", "bypassPermissions", "default", "dontAsk", "plan"];
const OUTPUT_FORMATS = ["text", "json", "stream-json"];
const INPUT_FORMATS = ["text", "stream-json"];

// Flags that take one value, and variadic ones (commander `<items...>`: they eat every following
// argument that does not start with "-", like the real CLI).
const VALUE_FLAGS = new Map([
  ["--output-format", "outputFormat"],
  ["--input-format", "inputFormat"],
  ["--resume", "resume"],
  ["-r", "resume"],
  ["--permission-mode", "permissionMode"],
  ["--model", "model"],
  ["--fallback-model", null],
  ["--max-turns", "maxTurns"],
  ["--append-system-prompt", null],
  ["--system-prompt", null],
  ["--session-id", "sessionId"],
  ["--settings", null],
  ["--mcp-config", null],
  ["--permission-prompt-tool", "permissionPromptTool"],
  ["--max-budget-usd", "maxBudgetUsd"],
  ["--agents", null],
  ["--setting-sources", null],
]);
const LIST_FLAGS = new Map([
  ["--tools", "tools"],
  ["--allowedTools", "allowedTools"],
  ["--allowed-tools", "allowedTools"],
  ["--disallowedTools", "disallowedTools"],
  ["--disallowed-tools", "disallowedTools"],
  ["--add-dir", null],
]);
const BOOL_FLAGS = new Map([
  ["-p", "print"],
  ["--print", "print"],
  ["--verbose", "verbose"],
  ["--include-partial-messages", "includePartialMessages"],
  ["--continue", "continue"],
  ["-c", "continue"],
  ["--dangerously-skip-permissions", "skipPermissions"],
  ["--fork-session", null],
  ["--replay-user-messages", null],
  ["--strict-mcp-config", null],
  ["-d", null],
  ["--debug", null],
]);

export class UsageError extends Error {}

/** @returns the options, or throws UsageError with the real CLI's wording. */
export function parseArgs(argv) {
  const opts = {
    print: false,
    verbose: false,
    includePartialMessages: false,
    continue: false,
    skipPermissions: false,
    outputFormat: "text",
    inputFormat: "text",
    permissionPromptTool: null,
    resume: null,
    permissionMode: "default",
    model: null,
    maxTurns: null,
    maxBudgetUsd: null,
    sessionId: null,
    tools: null,
    allowedTools: [],
    disallowedTools: [],
    version: false,
    help: false,
    prompt: null,
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let inline = null;
    if (arg.startsWith("--") && arg.includes("=")) {
      inline = arg.slice(arg.indexOf("=") + 1);
      arg = arg.slice(0, arg.indexOf("="));
    }
    if (arg === "--version" || arg === "-v") opts.version = true;
    else if (arg === "--help" || arg === "-h") opts.help = true;
    else if (BOOL_FLAGS.has(arg)) {
      const key = BOOL_FLAGS.get(arg);
      if (key) opts[key] = true;
    } else if (VALUE_FLAGS.has(arg)) {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`error: option '${arg}' argument missing`);
      const key = VALUE_FLAGS.get(arg);
      if (key) opts[key] = value;
    } else if (LIST_FLAGS.has(arg)) {
      const values = inline !== null ? [inline] : [];
      while (inline === null && i + 1 < argv.length && !argv[i + 1].startsWith("-")) {
        values.push(argv[++i]);
      }
      const key = LIST_FLAGS.get(arg);
      if (!key) continue;
      const items = values.flatMap((v) => splitToolList(v));
      opts[key] = key === "tools" ? [...(opts.tools ?? []), ...items] : [...opts[key], ...items];
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new UsageError(`error: unknown option '${arg}'`);
    } else if (opts.prompt === null) {
      opts.prompt = arg;
    }
  }
  check(opts);
  return opts;
}

// "Read,Grep Glob" and "Bash(git diff:*)" both work: split on commas and spaces outside parentheses.
function splitToolList(value) {
  const items = [];
  let depth = 0;
  let cur = "";
  for (const ch of value) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || ch === " ")) {
      if (cur) items.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur) items.push(cur);
  return items;
}

function check(opts) {
  if (!OUTPUT_FORMATS.includes(opts.outputFormat)) {
    throw new UsageError(
      `error: option '--output-format <format>' argument '${opts.outputFormat}' is invalid. Allowed choices are ${OUTPUT_FORMATS.join(", ")}.`,
    );
  }
  if (!INPUT_FORMATS.includes(opts.inputFormat)) {
    throw new UsageError(
      `error: option '--input-format <format>' argument '${opts.inputFormat}' is invalid. Allowed choices are ${INPUT_FORMATS.join(", ")}.`,
    );
  }
  if (!PERMISSION_MODES.includes(opts.permissionMode)) {
    throw new UsageError(
      `error: option '--permission-mode <mode>' argument '${opts.permissionMode}' is invalid. Allowed choices are ${PERMISSION_MODES.join(", ")}.`,
    );
  }
  if (opts.version || opts.help) return;
  if (!opts.print) {
    throw new UsageError("fake-claude: only --print (-p) mode is supported");
  }
  if (opts.outputFormat === "stream-json" && !opts.verbose) {
    throw new UsageError(
      "Error: When using --print, --output-format=stream-json requires --verbose",
    );
  }
  if (opts.inputFormat === "stream-json" && opts.outputFormat !== "stream-json") {
    throw new UsageError("Error: --input-format=stream-json requires output-format=stream-json.");
  }
  const bypass = opts.skipPermissions || opts.permissionMode === "bypassPermissions";
  if (bypass && process.getuid?.() === 0 && process.env.IS_SANDBOX !== "1") {
    throw new UsageError(
      "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons",
    );
  }
  if (opts.skipPermissions) opts.permissionMode = "bypassPermissions";
  if (opts.maxBudgetUsd !== null && !(Number(opts.maxBudgetUsd) > 0)) {
    throw new UsageError(
      `Error: --max-budget-usd must be a positive number greater than 0, got: ${opts.maxBudgetUsd}`,
    );
  }
}

/** The tools the model has, after `--tools` and `--disallowedTools`. */
export function availableTools(opts) {
  let tools = ALL_TOOLS;
  if (opts.tools !== null && !(opts.tools.length === 1 && opts.tools[0] === "default")) {
    const wanted = new Set(opts.tools);
    tools = ALL_TOOLS.filter((t) => wanted.has(t));
  }
  // "Bash(rm:*)" only forbids some commands; a bare name removes the tool.
  const denied = new Set(opts.disallowedTools.filter((t) => !t.includes("(")));
  return tools.filter((t) => !denied.has(t));
}
