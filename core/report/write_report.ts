/**
 * Writing a report to the file `-o` names: replaced atomically, and refused
 * when the path is anything but a regular file (a symlink planted where the
 * report goes is never followed).
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { KeelError } from "../errors.ts";
import { atomicWriteText } from "../store/mod.ts";

/**
 * Write a report file. Relative paths are taken from `cwd`; missing folders
 * are created.
 *
 * @param cwd The directory a relative path is taken from.
 * @param path The file.
 * @param text The document.
 * @returns The absolute path written.
 * @throws {KeelError} REPORT_OUTPUT_UNSAFE when the path exists and is not a regular file.
 */
export async function writeReportFile(cwd: string, path: string, text: string): Promise<string> {
  const abs = isAbsolute(path) ? path : join(cwd, path);
  let info: Deno.FileInfo | null = null;
  try {
    info = await Deno.lstat(abs);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (info !== null && !info.isFile) {
    const kind = info.isSymlink
      ? "a symlink"
      : info.isDirectory
      ? "a directory"
      : "not a regular file";
    throw new KeelError(
      "REPORT_OUTPUT_UNSAFE",
      `Refusing to write the report to ${path}: it is ${kind}`,
      {
        data: { path, reason: kind },
      },
    );
  }
  await atomicWriteText(abs, text);
  return abs;
}
