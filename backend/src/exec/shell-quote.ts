// POSIX shell quoting: turns any string into one single-quoted shell word.

/** `it's` becomes `'it'\''s'`: inside single quotes nothing is special except the quote itself. */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new Error("a shell word cannot contain a NUL byte");
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
