/**
 * Opening files in a hostile repository. A clone can carry any symlink, FIFO,
 * device or directory where keel expects one of its files, so every file keel
 * reads or writes is opened here:
 *
 * - the path itself must be a regular file (or missing, for a writer): a
 *   symlink is refused, never followed (`PATH_SYMLINK_REFUSED`), anything
 *   else that is not a regular file is refused (`PATH_NOT_REGULAR_FILE`);
 * - every folder between keel's anchor folder (`.keel`, `kitty-specs`) and
 *   the file must be a real folder, not a symlink;
 * - Deno has no `O_NOFOLLOW`, so the file is `lstat`ed, opened, and the open
 *   handle's device and inode are compared with the `lstat` (a swap between
 *   the two is refused); a missing file is created with `O_EXCL`
 *   (`createNew`), which refuses a symlink planted in the meantime;
 * - reads are capped (`FILE_TOO_LARGE`), so `/dev/zero`-like input cannot
 *   exhaust memory;
 * - operating-system failures (disk full, read-only file system, permission
 *   denied) become keel errors (see {@link ioError}).
 *
 * @module
 */

import { dirname } from "../util/posix_path.ts";
import { KeelError } from "../errors.ts";

/** Folder names under which every folder component is checked too. */
const ANCHORS = [".keel", "kitty-specs"];

/** Default cap of {@link readRegularText}: 64 MiB. */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;

/** What kind of thing a path is, as named in errors. */
export type PathKind = "file" | "directory" | "symlink" | "fifo" | "socket" | "device" | "other";

/**
 * The kind of an `lstat` result.
 *
 * @param info A `Deno.lstat` result.
 * @returns Its kind.
 */
export function pathKind(info: Deno.FileInfo): PathKind {
  if (info.isSymlink) return "symlink";
  if (info.isFile) return "file";
  if (info.isDirectory) return "directory";
  if (info.isFifo) return "fifo";
  if (info.isSocket) return "socket";
  if (info.isCharDevice || info.isBlockDevice) return "device";
  return "other";
}

/**
 * How a path is shown in errors: relative to the folder that holds its
 * anchor (`.keel/...`, `kitty-specs/...`), else as given.
 *
 * @param path An absolute path.
 * @returns The display path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayPath } from "./safe_file.ts";
 * assert.equal(displayPath("/r/.keel/locks/a.lock"), ".keel/locks/a.lock");
 * assert.equal(displayPath("/r/x.txt"), "/r/x.txt");
 * assert.equal(displayPath("/w/kitty-specs/r/.keel/a.json"), ".keel/a.json");
 * ```
 */
export function displayPath(path: string): string {
  const a = _anchorIndex(path);
  return a < 0 ? path : path.slice(a + 1);
}

/**
 * Index of the `/` before the last anchor segment, or -1 (the last one, so a
 * repository that itself lives under a folder named `kitty-specs` or
 * `.keel` is anchored at its own folder).
 */
function _anchorIndex(path: string): number {
  let best = -1;
  for (const anchor of ANCHORS) {
    const i = path.lastIndexOf(`/${anchor}/`);
    const j = path.endsWith(`/${anchor}`) ? path.length - anchor.length - 1 : -1;
    best = Math.max(best, i, j);
  }
  return best;
}

function _symlinkError(path: string): KeelError {
  let target = "";
  try {
    target = Deno.readLinkSync(path);
  } catch {
    // gone already
  }
  const display = displayPath(path);
  return new KeelError(
    "PATH_SYMLINK_REFUSED",
    `${display} is a symlink${target ? ` (to ${target})` : ""}; keel does not follow symlinks here`,
    { data: { path: display, target } },
  );
}

/**
 * The error for a path that is not what keel expects there.
 *
 * @param path Absolute path.
 * @param kind What it is.
 * @param expected What keel expected.
 * @returns `PATH_SYMLINK_REFUSED` for a symlink, else `PATH_NOT_REGULAR_FILE`.
 */
export function wrongKindError(
  path: string,
  kind: PathKind,
  expected: "file" | "directory" = "file",
): KeelError {
  if (kind === "symlink") return _symlinkError(path);
  const display = displayPath(path);
  return new KeelError(
    "PATH_NOT_REGULAR_FILE",
    `${display} is a ${kind}, expected a ${expected === "file" ? "regular file" : "directory"}`,
    { data: { path: display, kind, expected } },
  );
}

/** How often an open is retried when the file at the path was replaced in between. */
const REOPEN_ATTEMPTS = 8;

function _changedError(path: string): KeelError {
  const display = displayPath(path);
  return new KeelError(
    "PATH_NOT_REGULAR_FILE",
    `${display} was replaced ${REOPEN_ATTEMPTS} times while keel opened it; try again`,
    { data: { path: display, kind: "changing", expected: "file" } },
  );
}

/** Linux errno names of the failures mapped by {@link ioError}. */
const ERRNO: Record<string, "DISK_FULL" | "READ_ONLY_FILESYSTEM" | "PERMISSION_DENIED"> = {
  ENOSPC: "DISK_FULL",
  EDQUOT: "DISK_FULL",
  EROFS: "READ_ONLY_FILESYSTEM",
  EACCES: "PERMISSION_DENIED",
  EPERM: "PERMISSION_DENIED",
};

const OS_ERROR: Record<number, string> = {
  28: "ENOSPC",
  122: "EDQUOT",
  30: "EROFS",
  13: "EACCES",
  1: "EPERM",
};

/**
 * Map an operating-system failure to a keel error: disk full (`ENOSPC`,
 * `EDQUOT`) → `DISK_FULL`, `EROFS` → `READ_ONLY_FILESYSTEM`, `EACCES` /
 * `EPERM` → `PERMISSION_DENIED`, all with `data: {path, errno}`. Anything
 * else (a KeelError included) is returned unchanged.
 *
 * @param error What was caught.
 * @param path The file or folder involved (absolute), if known.
 * @returns A KeelError or the original error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ioError } from "./safe_file.ts";
 * const e = ioError(new Error("No space left on device (os error 28)"), "/r/.keel/a.json");
 * assert.equal((e as { code: string }).code, "DISK_FULL");
 * ```
 */
export function ioError(error: unknown, path?: string): unknown {
  if (error instanceof KeelError || !(error instanceof Error)) return error;
  let errno = (error as { code?: unknown }).code;
  if (typeof errno !== "string" || !Object.hasOwn(ERRNO, errno)) {
    const m = /\(os error (\d+)\)/.exec(error.message);
    errno = m ? OS_ERROR[Number(m[1])] : undefined;
    if (errno === undefined && error instanceof Deno.errors.PermissionDenied) errno = "EACCES";
  }
  if (typeof errno !== "string" || !Object.hasOwn(ERRNO, errno)) return error;
  const code = ERRNO[errno]!;
  const display = path === undefined ? "" : displayPath(path);
  const what = code === "DISK_FULL"
    ? "the disk is full"
    : code === "READ_ONLY_FILESYSTEM"
    ? "the file system is read-only"
    : "permission denied";
  return new KeelError(code, `Cannot write${display ? ` ${display}` : ""}: ${what} (${errno})`, {
    data: { path: display, errno },
    cause: error,
  });
}

/**
 * Create `dir` and its missing parents, refusing a symlink (or a non-folder)
 * at any component below keel's anchor folder (`.keel`, `kitty-specs`). A
 * path without an anchor is created like `mkdir -p`.
 *
 * @param dir Absolute folder path.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`, or an
 *   {@link ioError} code.
 */
export async function ensureSafeDir(dir: string): Promise<void> {
  const a = _anchorIndex(dir);
  try {
    if (a < 0) {
      await Deno.mkdir(dir, { recursive: true });
      return;
    }
    // The anchor's parent (the repository) is created as needed; the anchor
    // itself is checked by the layout (it may be a symlink inside the root).
    const anchorEnd = dir.indexOf("/", a + 1);
    const anchorDir = anchorEnd < 0 ? dir : dir.slice(0, anchorEnd);
    await Deno.mkdir(anchorDir, { recursive: true });
    if (anchorEnd < 0) return;
    let p = anchorDir;
    for (const seg of dir.slice(anchorEnd + 1).split("/")) {
      if (seg === "") continue;
      p = `${p}/${seg}`;
      let info: Deno.FileInfo | null = null;
      try {
        info = await Deno.lstat(p);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (info === null) {
        try {
          await Deno.mkdir(p);
          continue;
        } catch (error) {
          if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
          info = await Deno.lstat(p);
        }
      }
      if (!info.isDirectory) throw wrongKindError(p, pathKind(info), "directory");
    }
  } catch (error) {
    throw ioError(error, dir);
  }
}

/**
 * Check, without creating anything, that no folder between keel's anchor and
 * `path` is a symlink or a non-folder. Missing folders are fine.
 *
 * @param path Absolute path of a file.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`.
 */
export async function checkSafeParents(path: string): Promise<void> {
  for (const p of _foldersBelowAnchor(path)) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(p);
    } catch {
      return;
    }
    if (!info.isDirectory) throw wrongKindError(p, pathKind(info), "directory");
  }
}

/** The folders between keel's anchor (exclusive) and `path`'s own folder (inclusive), top down. */
function _foldersBelowAnchor(path: string): string[] {
  const a = _anchorIndex(path);
  if (a < 0) return [];
  const anchorEnd = path.indexOf("/", a + 1);
  if (anchorEnd < 0) return [];
  const parent = dirname(path);
  if (parent.length <= anchorEnd) return [];
  const out: string[] = [];
  let p = path.slice(0, anchorEnd);
  for (const seg of parent.slice(anchorEnd + 1).split("/")) {
    if (seg === "") continue;
    p = `${p}/${seg}`;
    out.push(p);
  }
  return out;
}

/** Options for {@link openForWrite}. */
export interface SafeWriteOptions {
  /** Append mode. */
  append?: boolean;
  /** Truncate an existing file once it is verified. */
  truncate?: boolean;
  /** Also open for reading. */
  read?: boolean;
  /** Fail when the file exists (`O_EXCL`). */
  createNew?: boolean;
  /** Do not create a missing file. */
  mustExist?: boolean;
  /** Mode of a new file; default 0o644. */
  mode?: number;
}

/**
 * Open a file for writing without following a symlink: missing parents are
 * created safely ({@link ensureSafeDir}); a missing file is created with
 * `O_EXCL`; an existing one must be a regular file with one link, and the
 * open handle must be that same file.
 *
 * @param path Absolute path.
 * @param options How to open.
 * @returns The open file (the caller closes it).
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`,
 *   `DISK_FULL`, `READ_ONLY_FILESYSTEM`, `PERMISSION_DENIED`; `NotFound`
 *   (a Deno error) with `mustExist` and no file; `AlreadyExists` with `createNew`.
 */
export async function openForWrite(
  path: string,
  options: SafeWriteOptions = {},
): Promise<Deno.FsFile> {
  await ensureSafeDir(dirname(path));
  try {
    for (let attempt = 0; attempt < REOPEN_ATTEMPTS; attempt++) {
      let before: Deno.FileInfo | null = null;
      try {
        before = await Deno.lstat(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      if (before === null) {
        if (options.mustExist) throw new Deno.errors.NotFound(`${path}: missing`);
        try {
          return await Deno.open(path, {
            read: options.read ?? false,
            write: true,
            append: options.append ?? false,
            createNew: true,
            mode: options.mode ?? 0o644,
          });
        } catch (error) {
          if (error instanceof Deno.errors.AlreadyExists && !options.createNew) continue;
          throw error;
        }
      }
      if (options.createNew) throw new Deno.errors.AlreadyExists(`${path}: exists`);
      if (!before.isFile) throw wrongKindError(path, pathKind(before));
      if ((before.nlink ?? 1) > 1) {
        const display = displayPath(path);
        throw new KeelError(
          "PATH_NOT_REGULAR_FILE",
          `${display} has ${before.nlink} hard links; keel writes only files with one link`,
          { data: { path: display, kind: "hardlink", expected: "file" } },
        );
      }
      const file = await Deno.open(path, {
        read: options.read ?? false,
        write: true,
        append: options.append ?? false,
      });
      const after = await file.stat();
      if (after.dev !== before.dev || after.ino !== before.ino || !after.isFile) {
        file.close();
        continue;
      }
      if (options.truncate) await file.truncate(0);
      return file;
    }
    throw _changedError(path);
  } catch (error) {
    throw ioError(error, path);
  }
}

/** Options for {@link readRegularText} and {@link readRegularBytes}. */
export interface SafeReadOptions {
  /** Largest file read, in bytes; default {@link DEFAULT_MAX_READ_BYTES}. */
  maxBytes?: number;
}

/**
 * Read a file that must be a regular file (not a symlink, FIFO or device),
 * up to a size cap. A missing file reads as `null`.
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The bytes, or `null` when the file is missing.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`,
 *   `FILE_TOO_LARGE` `{path, size, limit}`.
 */
export async function readRegularBytes(
  path: string,
  options: SafeReadOptions = {},
): Promise<Uint8Array | null> {
  const limit = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  await checkSafeParents(path);
  for (let attempt = 0; attempt < REOPEN_ATTEMPTS; attempt++) {
    let before: Deno.FileInfo;
    try {
      before = await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw error;
    }
    if (!before.isFile) throw wrongKindError(path, pathKind(before));
    if (before.size > limit) throw _tooLarge(path, before.size, limit);
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    try {
      const info = await file.stat();
      if (!info.isFile) throw wrongKindError(path, pathKind(info));
      // Replaced between the lstat and the open (an atomic rename by another
      // writer, or a swap): what was opened is not what was checked. Check again.
      if (info.dev !== before.dev || info.ino !== before.ino) continue;
      return await _readAll(file, info.size, { path, limit });
    } finally {
      file.close();
    }
  }
  throw _changedError(path);
}

async function _readAll(
  file: Deno.FsFile,
  size: number,
  opts: { path: string; limit: number },
): Promise<Uint8Array> {
  const { path, limit } = opts;
  // One buffer of the size stat reported (+1 to see the end), grown only
  // when the file grows while it is read.
  let buf = new Uint8Array(Math.min(size + 1, limit + 1));
  let total = 0;
  while (true) {
    if (total === buf.length) buf = _grow(buf, limit);
    const n = await file.read(buf.subarray(total));
    if (n === null) break;
    total += n;
    if (total > limit) throw _tooLarge(path, total, limit);
  }
  return total === buf.length ? buf : buf.subarray(0, total);
}

function _readAllSync(
  file: Deno.FsFile,
  size: number,
  opts: { path: string; limit: number },
): Uint8Array {
  const { path, limit } = opts;
  let buf = new Uint8Array(Math.min(size + 1, limit + 1));
  let total = 0;
  while (true) {
    if (total === buf.length) buf = _grow(buf, limit);
    const n = file.readSync(buf.subarray(total));
    if (n === null) break;
    total += n;
    if (total > limit) throw _tooLarge(path, total, limit);
  }
  return total === buf.length ? buf : buf.subarray(0, total);
}

function _grow(buf: Uint8Array<ArrayBuffer>, limit: number): Uint8Array<ArrayBuffer> {
  const next = new Uint8Array(Math.min(Math.max(buf.length * 2, 4096), limit + 1));
  next.set(buf);
  return next;
}

/**
 * {@link checkSafeParents} without yielding (for many small files in one
 * folder, where the per-call cost of asynchronous file operations dominates).
 *
 * @param path Absolute path of a file.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`.
 */
export function checkSafeParentsSync(path: string): void {
  for (const p of _foldersBelowAnchor(path)) {
    let info: Deno.FileInfo;
    try {
      info = Deno.lstatSync(p);
    } catch {
      return;
    }
    if (!info.isDirectory) throw wrongKindError(p, pathKind(info), "directory");
  }
}

/**
 * {@link readRegularBytes} without yielding, with the same checks: for small
 * files read by the hundred (WP files), where an asynchronous read costs ten
 * times the CPU of a synchronous one.
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The bytes, or `null` when the file is missing.
 * @throws {KeelError} `PATH_SYMLINK_REFUSED`, `PATH_NOT_REGULAR_FILE`,
 *   `FILE_TOO_LARGE` `{path, size, limit}`.
 */
export function readRegularBytesSync(
  path: string,
  options: SafeReadOptions = {},
): Uint8Array | null {
  const limit = options.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  checkSafeParentsSync(path);
  for (let attempt = 0; attempt < REOPEN_ATTEMPTS; attempt++) {
    let before: Deno.FileInfo;
    try {
      before = Deno.lstatSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return null;
      }
      throw error;
    }
    if (!before.isFile) throw wrongKindError(path, pathKind(before));
    if (before.size > limit) throw _tooLarge(path, before.size, limit);
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
    try {
      const info = file.statSync();
      if (!info.isFile) throw wrongKindError(path, pathKind(info));
      if (info.dev !== before.dev || info.ino !== before.ino) continue;
      return _readAllSync(file, info.size, { path, limit });
    } finally {
      file.close();
    }
  }
  throw _changedError(path);
}

/**
 * {@link readRegularBytesSync} decoded as UTF-8 (invalid bytes become U+FFFD).
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The text, or `null` when the file is missing.
 */
export function readRegularTextSync(path: string, options: SafeReadOptions = {}): string | null {
  const bytes = readRegularBytesSync(path, options);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * {@link readRegularBytes} decoded as UTF-8 (invalid bytes become U+FFFD, as
 * `Deno.readTextFile` does).
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The text, or `null` when the file is missing.
 */
export async function readRegularText(
  path: string,
  options: SafeReadOptions = {},
): Promise<string | null> {
  const bytes = await readRegularBytes(path, options);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}

/**
 * The kind of what is at `path` without following a symlink, or `null`.
 *
 * @param path Absolute path.
 * @returns Its kind.
 */
export async function lkind(path: string): Promise<PathKind | null> {
  try {
    return pathKind(await Deno.lstat(path));
  } catch {
    return null;
  }
}

function _tooLarge(path: string, size: number, limit: number): KeelError {
  const display = displayPath(path);
  return new KeelError(
    "FILE_TOO_LARGE",
    `${display} is larger than keel reads (${limit} bytes)`,
    { data: { path: display, size, limit } },
  );
}

/**
 * A drop-in for `Deno.readTextFile` with the checks of
 * {@link readRegularText}: a missing file throws `Deno.errors.NotFound`.
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The text.
 */
export async function safeReadTextFile(
  path: string,
  options: SafeReadOptions = {},
): Promise<string> {
  const text = await readRegularText(path, options);
  if (text === null) throw new Deno.errors.NotFound(`No such file: ${path}`);
  return text;
}

/**
 * A drop-in for `Deno.readFile` with the checks of {@link readRegularBytes}.
 *
 * @param path Absolute path.
 * @param options The cap.
 * @returns The bytes.
 */
export async function safeReadFile(
  path: string,
  options: SafeReadOptions = {},
): Promise<Uint8Array> {
  const bytes = await readRegularBytes(path, options);
  if (bytes === null) throw new Deno.errors.NotFound(`No such file: ${path}`);
  return bytes;
}
