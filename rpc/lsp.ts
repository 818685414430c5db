/**
 * `Content-Length` framing (as in the Language Server Protocol): ASCII
 * headers ending in an empty line, then exactly that many body bytes. A body
 * larger than the limit is reported and skipped byte-exactly; a malformed
 * header cannot be resynchronised and is fatal for the connection.
 *
 * @module
 */

import { concatBytes, type FrameEvent, type FrameParser } from "./framing.ts";

/** Longest accepted header block, in bytes. */
const MAX_HEADER_BYTES = 8 * 1024;

/**
 * A byte-level `Content-Length` parser.
 *
 * @param maxFrameBytes Largest accepted body, in bytes.
 * @returns The parser.
 */
export function createLspParser(maxFrameBytes: number): FrameParser {
  let head: number[] = [];
  let body: Uint8Array[] = [];
  let have = 0;
  let want = -1; // body bytes expected; -1 while reading headers
  let skip = 0; // body bytes to discard (oversized frame)
  let dead = false;
  return {
    get buffered() {
      return head.length + have;
    },
    push(chunk) {
      const out: FrameEvent[] = [];
      let i = 0;
      while (i < chunk.length && !dead) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - i);
          skip -= n;
          i += n;
        } else if (want < 0) {
          head.push(chunk[i++]!);
          const n = head.length;
          if (
            n >= 4 && head[n - 4] === 13 && head[n - 3] === 10 && head[n - 2] === 13 &&
            head[n - 1] === 10
          ) {
            const length = _contentLength(String.fromCharCode(...head));
            head = [];
            if (length === null) {
              dead = true;
              out.push({ kind: "fatal", reason: "missing or invalid Content-Length header" });
            } else if (length > maxFrameBytes) {
              skip = length;
              out.push({ kind: "oversized", limit: maxFrameBytes });
            } else want = length;
          } else if (n > MAX_HEADER_BYTES) {
            dead = true;
            out.push({ kind: "fatal", reason: "header block too long" });
          }
        }
        if (want >= 0 && !dead) {
          const n = Math.min(want - have, chunk.length - i);
          if (n > 0) body.push(chunk.slice(i, i + n));
          have += n;
          i += n;
          if (have === want) {
            out.push({ kind: "frame", bytes: concatBytes(body, have) });
            body = [];
            have = 0;
            want = -1;
          }
        }
      }
      return out;
    },
  };
}

function _contentLength(headers: string): number | null {
  let length: number | null = null;
  for (const line of headers.split("\r\n")) {
    if (line === "") continue;
    const m = /^([A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (m === null) return null;
    if (m[1]!.toLowerCase() === "content-length") {
      if (!/^\d{1,15}$/.test(m[2]!)) return null;
      length = Number(m[2]);
    }
  }
  return length;
}
