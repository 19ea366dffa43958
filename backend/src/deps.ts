// The small capabilities the server receives instead of reaching for globals: ids and logging (time
// is clock.ts).
import { randomUUID } from "node:crypto";
import { nanoid } from "nanoid";

export interface Ids {
  ideaId(): string;
  runId(): string;
}

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const nanoIds: Ids = { ideaId: () => nanoid(), runId: () => randomUUID() };

function line(level: string, msg: string, fields?: Record<string, unknown>): string {
  return JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
}

/** One JSON line per entry on stderr, so stdout stays for the login URL. */
export const consoleLogger: Logger = {
  info: (msg, fields) => console.error(line("info", msg, fields)),
  warn: (msg, fields) => console.error(line("warn", msg, fields)),
  error: (msg, fields) => console.error(line("error", msg, fields)),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
