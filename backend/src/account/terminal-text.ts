// What a person would read on a terminal, from the bytes a program wrote to it: escape sequences
// out (an OSC 8 hyperlink keeps its visible text), cursor moves as spaces, CR/LF as newlines.
/* eslint-disable no-control-regex -- matching a terminal's control bytes is the point here */

const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;
const CURSOR_MOVE = /\x1b\[[0-9;]*[GCD]/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
const OTHER_ESCAPE = /\x1b[@-Z\\-_78=>]/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function terminalText(raw: string): string {
  return raw
    .replace(OSC, "")
    .replace(CURSOR_MOVE, " ")
    .replace(CSI, "")
    .replace(OTHER_ESCAPE, "")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROL, "")
    .replace(/[ \t]+/g, " ");
}
