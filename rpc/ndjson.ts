/**
 * Newline-delimited JSON framing: one message per `\n`-terminated line (a
 * trailing `\r` is dropped, lines of only spaces and tabs are ignored). A line longer than the
 * limit is reported once and then skipped up to its newline without being
 * kept in memory.
 *
 * @module
 */

import { concatBytes, type FrameEvent, type FrameParser } from "./framing.ts";

const LF = 0x0a;
const CR = 0x0d;

/**
 * A byte-level NDJSON line splitter.
 *
 * @param maxFrameBytes Longest accepted line, in bytes (without the newline).
 * @returns The parser.
 */
export function createNdjsonSplitter(maxFrameBytes: number): FrameParser {
  let parts: Uint8Array[] = [];
  let size = 0;
  let skipping = false;
  function _emit(out: FrameEvent[], line: Uint8Array): void {
    let end = line.length;
    if (end > 0 && line[end - 1] === CR) end--;
    let blank = true;
    for (let i = 0; i < end && blank; i++) blank = line[i] === 0x20 || line[i] === 0x09;
    if (!blank) {
      out.push({ kind: "frame", bytes: end === line.length ? line : line.subarray(0, end) });
    }
  }
  return {
    get buffered() {
      return size;
    },
    push(chunk) {
      const out: FrameEvent[] = [];
      let start = 0;
      while (start <= chunk.length) {
        const nl = chunk.indexOf(LF, start);
        const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
        if (!skipping) {
          if (size + piece.length > maxFrameBytes) {
            skipping = true;
            parts = [];
            size = 0;
            out.push({ kind: "oversized", limit: maxFrameBytes });
          } else if (nl === -1) {
            if (piece.length > 0) {
              parts.push(piece.slice());
              size += piece.length;
            }
          } else {
            _emit(out, size === 0 ? piece : concatBytes([...parts, piece], size + piece.length));
            parts = [];
            size = 0;
          }
        }
        if (nl === -1) break;
        skipping = false;
        start = nl + 1;
      }
      return out;
    },
  };
}
