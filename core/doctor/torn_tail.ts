/**
 * Torn JSONL tails: find the exact byte range of a partial last line, and
 * move it to a side file (never deleting a byte) under the file's lock.
 *
 * @module
 */

import { withLock } from "../store/mod.ts";
import { openForWrite, safeReadFile } from "../store/safe_file.ts";

/** A partial last line, by bytes. */
export interface TornTailBytes {
  /** 1-based line number of the partial line. */
  line: number;
  /** Byte offset where it starts. */
  offset: number;
  /** Its length in bytes. */
  bytes: number;
  /** Its text (lossy for invalid UTF-8), at most 200 characters. */
  text: string;
}

/**
 * Locate a torn tail: the bytes after the last newline, when they are not
 * blank and do not parse as JSON.
 *
 * @param bytes The file content.
 * @returns The torn tail, or `null`.
 */
export function findTornTail(bytes: Uint8Array): TornTailBytes | null {
  const lastNl = bytes.lastIndexOf(0x0a);
  const offset = lastNl + 1;
  if (offset >= bytes.length) return null;
  const text = new TextDecoder().decode(bytes.subarray(offset));
  if (text.trim() === "") return null;
  try {
    JSON.parse(text);
    return null;
  } catch {
    // partial
  }
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return { line, offset, bytes: bytes.length - offset, text: text.slice(0, 200) };
}

/** What {@link moveTornTail} did. */
export interface MovedTail {
  /** Absolute path of the side file holding the moved bytes. */
  sideFile: string;
  /** Bytes moved. */
  bytes: number;
  /** Where the torn line started. */
  offset: number;
}

/**
 * Move the torn tail of `path` to `<path>.torn-<stamp>` under `lockPath`:
 * the file is re-read under the lock; the side file is written and synced
 * before the original is truncated, so a crash in between loses nothing.
 *
 * @param path The JSONL file.
 * @param options `lockPath` (the lock writers of the file take), `stamp` (side file suffix).
 * @returns What was moved, or `null` when the file no longer ends torn.
 */
export async function moveTornTail(
  path: string,
  options: { lockPath: string; stamp: string },
): Promise<MovedTail | null> {
  return await withLock(options.lockPath, async () => {
    const bytes = await safeReadFile(path);
    const torn = findTornTail(bytes);
    if (torn === null) return null;
    const tail = bytes.slice(torn.offset);
    let sideFile = `${path}.torn-${options.stamp}`;
    let side: Deno.FsFile | null = null;
    for (let n = 2; side === null; n++) {
      try {
        side = await openForWrite(sideFile, { createNew: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
        sideFile = `${path}.torn-${options.stamp}-${n}`;
      }
    }
    try {
      let written = 0;
      while (written < tail.length) written += await side.write(tail.subarray(written));
      await side.sync();
    } finally {
      side.close();
    }
    const file = await openForWrite(path, { mustExist: true });
    try {
      await file.truncate(torn.offset);
      await file.sync();
    } finally {
      file.close();
    }
    return { sideFile, bytes: tail.length, offset: torn.offset };
  });
}
