/**
 * sha256 of bytes and of files, as lowercase hex.
 *
 * @module
 */

/**
 * sha256 of bytes.
 *
 * @param bytes Input.
 * @returns Lowercase hex.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Bytes } from "./sha256.ts";
 * assert.equal(
 *   await sha256Bytes(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Bytes(bytes: Uint8Array): Promise<string> {
  const buf = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * sha256 of a regular file, or null when it is missing or not a regular file.
 *
 * @param path File path.
 * @returns Lowercase hex, or null.
 */
export async function sha256File(path: string): Promise<string | null> {
  try {
    const st = await Deno.lstat(path);
    if (!st.isFile) return null;
    return await sha256Bytes(await Deno.readFile(path));
  } catch {
    return null;
  }
}
