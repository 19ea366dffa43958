// The stream pipeline's public face: bytes from the CLI -> ClaudeEvents.
export { createStreamDecoder, createStderrDecoder } from "./decoder.js";
export type { DecoderOptions, EventDecoder } from "./decoder.js";
export { DEFAULT_MAX_LINE_BYTES } from "./line-splitter.js";
