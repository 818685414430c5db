/**
 * Atomic file replacement: temp file in the same directory, fsync, rename,
 * fsync of the directory. A reader sees the old or the new content, never a
 * partial file, even when the writer is killed.
 *
 * @module
 */

import { dirname, join } from "../util/mod.ts";
import { processAlive } from "./process_alive.ts";
import { ensureSafeDir, ioError, pathKind, wrongKindError } from "./safe_file.ts";

/** Options for {@link atomicWriteText}. */
export interface AtomicWriteOptions {
  /** File mode of the new file. Defaults to 0o644. */
  mode?: number;
}

/**
 * Replace `path` with `text` atomically, creating parent directories. The
 * destination must be missing or a regular file (a symlink, folder, FIFO or
 * device there is refused, never followed), and no folder on the way under
 * `.keel/` or `kitty-specs/` may be a symlink. The temp file is created with
 * `O_EXCL`. A failed write leaves the old file and no temp file.
 *
 * @param path Destination file.
 * @param text New content.
 * @param options File mode.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`,
 *   `DISK_FULL`, `READ_ONLY_FILESYSTEM`, `PERMISSION_DENIED`.
 */
export async function atomicWriteText(
  path: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  await ensureSafeDir(dir);
  await _checkDestination(path);
  const tmp = join(dir, `.${_base(path)}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`);
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true, mode: options.mode ?? 0o644 });
  } catch (error) {
    throw ioError(error, path);
  }
  try {
    const bytes = new TextEncoder().encode(text);
    let written = 0;
    while (written < bytes.length) written += await file.write(bytes.subarray(written));
    await file.sync();
  } catch (error) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw ioError(error, path);
  }
  file.close();
  try {
    await _checkDestination(path);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw ioError(error, path);
  }
  await _syncDir(dir);
  await _removeLeftovers(dir, _base(path));
}

/**
 * Remove the temp files an earlier, killed write to the same file left
 * behind (`.<name>.<pid>.<hex>.tmp` of a process that has exited): the file
 * now holds a newer complete version, so they are of no use, and in a work
 * tree they would show as untracked files. Best effort; a live writer's temp
 * file is never touched.
 */
async function _removeLeftovers(dir: string, base: string): Promise<void> {
  const prefix = `.${base}.`;
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || !e.name.startsWith(prefix)) continue;
      const m = /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(e.name.slice(prefix.length));
      if (m === null) continue;
      const pid = Number(m[1]);
      if (pid === Deno.pid || processAlive(pid) !== false) continue;
      await Deno.remove(join(dir, e.name)).catch(() => {});
    }
  } catch {
    // a folder that cannot be listed keeps its leftovers (doctor reports them)
  }
}

/**
 * Write `value` as pretty JSON (two spaces, trailing newline) atomically.
 *
 * @param path Destination file.
 * @param value Any JSON-serialisable value.
 */
export async function atomicWriteJson(path: string, value: unknown): Promise<void> {
  await atomicWriteText(path, JSON.stringify(value, null, 2) + "\n");
}

/** The destination must be missing or a regular file (rename would replace a symlink silently). */
async function _checkDestination(path: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.lstat(path);
  } catch {
    return;
  }
  if (!info.isFile) throw wrongKindError(path, pathKind(info));
}

function _base(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

async function _syncDir(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  try {
    const d = await Deno.open(dir, { read: true });
    try {
      await d.sync();
    } finally {
      d.close();
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  }
}
