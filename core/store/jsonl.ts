/**
 * JSONL files: whole-line appends under a lock, and a reader that reports a
 * torn last line (a write cut short) without hiding the lines before it.
 *
 * @module
 */

import { withLock } from "./lock.ts";
import { ioError, openForWrite, readRegularText } from "./safe_file.ts";

/** A torn (partial, unterminated and unparseable) last line. */
export interface TornTail {
  /** 1-based line number. */
  line: number;
  /** Byte offset where the torn line starts. */
  offset: number;
  /** The partial text. */
  text: string;
}

/** A bad line that is not the last one. */
export interface BadLine {
  /** 1-based line number. */
  line: number;
  /** Why it could not be parsed. */
  reason: string;
}

/** What {@link readJsonl} found. */
export interface JsonlContent {
  /** Parsed values of the good lines, with their line numbers. */
  records: { line: number; value: unknown }[];
  /** A torn last line, if any. */
  torn: TornTail | null;
  /** Unparseable complete lines. */
  bad: BadLine[];
}

/**
 * Read a JSONL file. A missing file reads as empty.
 *
 * @param path The file.
 * @returns Good records, the torn tail if any, and bad lines.
 */
export async function readJsonl(path: string): Promise<JsonlContent> {
  const text = await readRegularText(path);
  if (text === null) return { records: [], torn: null, bad: [] };
  return parseJsonl(text);
}

/**
 * Parse JSONL text (see {@link readJsonl}).
 *
 * @param text File content.
 * @returns Good records, the torn tail if any, and bad lines.
 */
export function parseJsonl(text: string): JsonlContent {
  const records: { line: number; value: unknown }[] = [];
  const bad: BadLine[] = [];
  let torn: TornTail | null = null;
  const encoder = new TextEncoder();
  let offset = 0;
  let lineNo = 0;
  let start = 0;
  while (start < text.length) {
    lineNo++;
    const nl = text.indexOf("\n", start);
    const terminated = nl >= 0;
    const raw = terminated ? text.slice(start, nl) : text.slice(start);
    const lineBytes = encoder.encode(raw).length + (terminated ? 1 : 0);
    if (raw.trim() !== "") {
      try {
        records.push({ line: lineNo, value: JSON.parse(raw) });
      } catch (error) {
        if (!terminated) torn = { line: lineNo, offset, text: raw };
        else bad.push({ line: lineNo, reason: (error as Error).message });
      }
    }
    offset += lineBytes;
    start = terminated ? nl + 1 : text.length;
  }
  return { records, torn, bad };
}

/**
 * Append whole lines to a JSONL file under its lock. When the file ends in a
 * torn line, a newline is written first so the new records stay parseable and
 * the torn text stays visible to `keel doctor`.
 *
 * @param path The file.
 * @param values Records to append, one line each.
 * @param options `lockPath` overrides the lock file (default `path + ".lock"`).
 */
export async function appendJsonl(
  path: string,
  values: readonly unknown[],
  options: { lockPath?: string } = {},
): Promise<void> {
  await withLock(options.lockPath ?? `${path}.lock`, () => appendJsonlUnlocked(path, values));
}

/**
 * Append whole lines without taking a lock: the caller holds it.
 *
 * @param path The file.
 * @param values Records to append.
 */
export async function appendJsonlUnlocked(path: string, values: readonly unknown[]): Promise<void> {
  if (values.length === 0) return;
  const file = await openForWrite(path, { read: true, append: true });
  let size = -1;
  try {
    let prefix = "";
    size = (await file.stat()).size;
    if (size > 0) {
      const last = new Uint8Array(1);
      await file.seek(size - 1, Deno.SeekMode.Start);
      await file.read(last);
      if (last[0] !== 0x0a) prefix = "\n";
    }
    const body = prefix + values.map((v) => JSON.stringify(v)).join("\n") + "\n";
    const bytes = new TextEncoder().encode(body);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (error) {
    // Nothing half-written: cut a partial append back off.
    if (size >= 0) await file.truncate(size).catch(() => {});
    throw ioError(error, path);
  } finally {
    file.close();
  }
}
