// `npm run fake-claude -- <flags>`: runs scripts/fake-claude (plain JS, so it also works as CLAUDE_BIN).
const lib: { main(argv: string[]): Promise<void> } = await import(
  new URL("./fake-claude-lib/main.mjs", import.meta.url).href
);
await lib.main(process.argv.slice(2));
