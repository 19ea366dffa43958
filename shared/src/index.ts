// The package both sides import: zod schemas and the types inferred from them.
export * from "./claude-stream.js";
export * from "./error-result.js";
export * from "./events.js";
export * from "./idea.js";
export * from "./protocol.js";
export * from "./files.js";
export * from "./run-events.js";
export * from "./usage.js";
export * from "./account.js";
