/**
 * Framing: how JSON-RPC messages are cut out of a byte stream and written
 * back. Two framings: newline-delimited JSON (`ndjson`, the default) and
 * `Content-Length` headers (`lsp`). Parsers work on bytes, so a multibyte
 * character split across reads is never decoded in halves.
 *
 * @module
 */

import { createLspParser } from "./lsp.ts";
import { createNdjsonSplitter } from "./ndjson.ts";

/** A framing name. */
export type FramingName = "ndjson" | "lsp";

/** The default maximum frame size: 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** What a parser found in the bytes pushed so far. */
export type FrameEvent =
  /** A complete frame (the message bytes, without delimiter or headers). */
  | { kind: "frame"; bytes: Uint8Array }
  /** A frame larger than the limit was seen; its bytes are skipped, not kept. */
  | { kind: "oversized"; limit: number }
  /** The stream cannot be resynchronised (bad `Content-Length` header): close it. */
  | { kind: "fatal"; reason: string };

/** An incremental frame parser. */
export interface FrameParser {
  /**
   * Feed bytes; returns the events they complete, in order.
   *
   * @param chunk Bytes read from the stream (any split).
   */
  push(chunk: Uint8Array): FrameEvent[];
  /** Bytes held for an incomplete frame (bounded by the frame limit). */
  readonly buffered: number;
}

/**
 * A parser for the given framing.
 *
 * @param framing `ndjson` or `lsp`.
 * @param options `maxFrameBytes` (default 4 MiB).
 * @returns A fresh parser.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createFrameParser } from "./framing.ts";
 * const p = createFrameParser("ndjson");
 * const events = p.push(new TextEncoder().encode('{"a":1}\n{"b"'));
 * assert(events.length === 1 && p.buffered === 4);
 * ```
 */
export function createFrameParser(
  framing: FramingName,
  options: { maxFrameBytes?: number } = {},
): FrameParser {
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  return framing === "lsp" ? createLspParser(max) : createNdjsonSplitter(max);
}

const ENCODER = new TextEncoder();

/**
 * Encode one message for the given framing.
 *
 * @param framing `ndjson` or `lsp`.
 * @param text The serialised JSON message (no newline inside: JSON.stringify output).
 * @returns The bytes to write.
 */
export function encodeFrame(framing: FramingName, text: string): Uint8Array {
  if (framing === "ndjson") return ENCODER.encode(text + "\n");
  const body = ENCODER.encode(text);
  const head = ENCODER.encode(`Content-Length: ${body.length}\r\n\r\n`);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
}

/**
 * Concatenate byte chunks.
 *
 * @param parts Chunks.
 * @param total Their total length.
 * @returns One array.
 */
export function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
