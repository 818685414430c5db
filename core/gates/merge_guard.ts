/**
 * What keeps two merges from interleaving: the repository-level merge lock
 * (held for the whole git phase of `keel merge`) and the check that no merge,
 * rebase, cherry-pick or revert is already in progress in the work tree keel
 * would merge in.
 *
 * The lock lives in git's common directory (`<git-common-dir>/keel-merge.lock`),
 * so every worktree of one repository shares it and a clone cannot carry it.
 * It is an flock-style lock: the kernel releases it when the holder dies, so a
 * killed merge never leaves it behind. The file is opened so that a symlink
 * or any other non-regular file at that path is refused, never followed.
 *
 * @module
 */

import { isAbsolute, join } from "node:path";
import { KeelError } from "../errors.ts";
import { openForWrite } from "../store/mod.ts";
import type { GitRunner } from "./git_cli.ts";

/** The git directories of the work tree a merge runs in. */
export interface GitDirs {
  /** The per-worktree git directory (`MERGE_HEAD`, `rebase-merge/` … live here). */
  gitDir: string;
  /** The common git directory (shared by every worktree; holds the merge lock). */
  commonDir: string;
}

/** A git operation found unfinished in the work tree. */
export interface InProgressOperation {
  /** `merge`, `rebase`, `cherry-pick` or `revert`. */
  operation: "merge" | "rebase" | "cherry-pick" | "revert";
  /** The git-dir entry that shows it (`MERGE_HEAD`, `rebase-merge`, …). */
  marker: string;
}

const MARKERS: readonly { marker: string; operation: InProgressOperation["operation"] }[] = [
  { marker: "MERGE_HEAD", operation: "merge" },
  { marker: "rebase-merge", operation: "rebase" },
  { marker: "rebase-apply", operation: "rebase" },
  { marker: "CHERRY_PICK_HEAD", operation: "cherry-pick" },
  { marker: "REVERT_HEAD", operation: "revert" },
];

/**
 * The git directories of the work tree at `root` (worktree-aware).
 *
 * @param git The git port.
 * @param root The work tree's top level.
 * @returns Absolute `gitDir` and `commonDir`.
 * @throws {KeelError} `GIT_FAILED` when git cannot name them.
 */
export async function gitDirs(git: GitRunner, root: string): Promise<GitDirs> {
  const out = await git(["rev-parse", "--git-dir", "--git-common-dir"], root);
  const [gitDir, commonDir] = out.stdout.split("\n").map((l) => l.trim());
  if (out.code !== 0 || !gitDir || !commonDir) {
    throw new KeelError("GIT_FAILED", `git rev-parse --git-dir failed: ${out.stderr.trim()}`, {
      data: { args: ["rev-parse", "--git-dir", "--git-common-dir"], stderr: out.stderr },
    });
  }
  const abs = (p: string) => (isAbsolute(p) ? p : join(root, p));
  return { gitDir: abs(gitDir), commonDir: abs(commonDir) };
}

/**
 * The unfinished git operations of a work tree: `MERGE_HEAD`,
 * `rebase-merge/`, `rebase-apply/`, `CHERRY_PICK_HEAD`, `REVERT_HEAD` in its
 * own git directory.
 *
 * @param gitDir The per-worktree git directory.
 * @returns The operations found (empty when none).
 */
export async function operationsInProgress(gitDir: string): Promise<InProgressOperation[]> {
  const found: InProgressOperation[] = [];
  for (const m of MARKERS) {
    try {
      await Deno.lstat(join(gitDir, m.marker));
      found.push({ operation: m.operation, marker: m.marker });
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found;
}

/**
 * Refuse to start when a git operation is unfinished or the index is locked:
 * `MERGE_IN_PROGRESS` / `GIT_INDEX_LOCKED`, touching nothing.
 *
 * @param dirs The work tree's git directories.
 * @param root The work tree (for messages).
 * @throws {KeelError} `MERGE_IN_PROGRESS` (data `{root, operation, marker}`),
 *   `GIT_INDEX_LOCKED` (data `{path}`).
 */
export async function assertNoOperationInProgress(dirs: GitDirs, root: string): Promise<void> {
  const ops = await operationsInProgress(dirs.gitDir);
  if (ops.length > 0) {
    const op = ops[0]!;
    throw new KeelError(
      "MERGE_IN_PROGRESS",
      `A git ${op.operation} is in progress in ${root} (${op.marker} exists); finish or abort ` +
        `it first. keel touched nothing.`,
      { data: { root, operation: op.operation, marker: op.marker } },
    );
  }
  await assertIndexNotLocked(dirs);
}

/**
 * Refuse when git's `index.lock` exists (another git process is writing the
 * index, or one died and left it).
 *
 * @param dirs The work tree's git directories.
 * @throws {KeelError} `GIT_INDEX_LOCKED` (data `{path}`).
 */
export async function assertIndexNotLocked(dirs: GitDirs): Promise<void> {
  const path = join(dirs.gitDir, "index.lock");
  try {
    await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  throw indexLockedError(path);
}

/**
 * The error for a held `index.lock`.
 *
 * @param path The lock's path.
 * @returns The error.
 */
export function indexLockedError(path: string): KeelError {
  return new KeelError(
    "GIT_INDEX_LOCKED",
    `git's index is locked (${path} exists): another git process is running, or one ` +
      `crashed and left the file. Wait for it, or remove the file if no git process is running.`,
    { data: { path } },
  );
}

/** The lane merge a merge-lock holder is running (recorded in the lock file). */
export interface MergeJournalEntry {
  /** The work tree. */
  root: string;
  /** The lane tip being merged. */
  tip: string;
  /** The target's commit before that merge. */
  head: string;
}

/** The merge lock, as the git phase of a merge sees it. */
export interface MergeLockHandle {
  /** The lock file. */
  path: string;
  /** What the previous holder recorded and never cleared (it died mid-merge), or null. */
  previous: MergeJournalEntry | null;
  /** Record the lane merge about to run (null: none is running). */
  record(entry: MergeJournalEntry | null): Promise<void>;
}

/**
 * Run `fn` holding the repository's merge lock; refuse at once when another
 * process holds it. The lock file holds the holder's pid and, while a lane
 * merge runs, that merge ({@link MergeJournalEntry}), so the next holder can
 * recognise a merge keel started and was killed in.
 *
 * @param commonDir The common git directory.
 * @param fn The git phase of the merge.
 * @returns What `fn` returns.
 * @throws {KeelError} `MERGE_IN_PROGRESS` (data `{lock, holder_pid}`) when the
 *   lock is held; `PATH_OUTSIDE_REPO` when the lock path is a symlink or not a
 *   regular file.
 */
export async function withMergeLock<T>(
  commonDir: string,
  fn: (lock: MergeLockHandle) => Promise<T>,
): Promise<T> {
  const path = join(commonDir, "keel-merge.lock");
  const file = await openRegularFile(path);
  try {
    if (!(await file.tryLock(true))) {
      let holder: number | null = null;
      try {
        const n = Number.parseInt(await _readAll(file), 10);
        holder = Number.isSafeInteger(n) && n > 0 ? n : null;
      } catch {
        holder = null;
      }
      throw new KeelError(
        "MERGE_IN_PROGRESS",
        `Another keel merge is running in this repository${
          holder === null ? "" : ` (pid ${holder})`
        }; nothing was changed. Run merge again when it has finished.`,
        { data: { lock: path, holder_pid: holder } },
      );
    }
    const previous = _journalOf(await _readAll(file).catch(() => ""));
    const write = async (entry: MergeJournalEntry | null) => {
      const text = `${Deno.pid}\n` + (entry === null ? "" : JSON.stringify(entry) + "\n");
      await file.truncate(0);
      await file.seek(0, Deno.SeekMode.Start);
      const bytes = new TextEncoder().encode(text);
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
    };
    try {
      await write(null);
      return await fn({ path, previous, record: write });
    } finally {
      await file.truncate(0).catch(() => {});
      await file.unlock().catch(() => {});
    }
  } finally {
    file.close();
  }
}

function _journalOf(text: string): MergeJournalEntry | null {
  const line = text.split("\n")[1];
  if (!line) return null;
  try {
    const v = JSON.parse(line) as Record<string, unknown>;
    const ok = (k: string) => typeof v[k] === "string" && v[k] !== "";
    return ok("root") && ok("tip") && ok("head")
      ? { root: v.root as string, tip: v.tip as string, head: v.head as string }
      : null;
  } catch {
    return null;
  }
}

/**
 * Open (creating when missing) a regular file for reading and writing without
 * following a symlink: creation is exclusive, and an existing path must be a
 * regular file whose identity is the same before and after the open.
 *
 * @param path The file.
 * @returns The open file.
 * @throws {KeelError} `PATH_OUTSIDE_REPO` (data `{path, reason}`) for a
 *   symlink or a non-regular file.
 */
export async function openRegularFile(path: string): Promise<Deno.FsFile> {
  // The store's safe open (lstat, O_EXCL create, identity check); its
  // refusals keep this lock's documented code.
  try {
    return await openForWrite(path, { read: true, mode: 0o600 });
  } catch (error) {
    if (error instanceof KeelError && error.code === "PATH_SYMLINK_REFUSED") {
      throw _notRegular(path, "it is a symlink");
    }
    if (error instanceof KeelError && error.code === "PATH_NOT_REGULAR_FILE") {
      throw _notRegular(path, "it is not a regular file");
    }
    throw error;
  }
}

function _notRegular(path: string, reason: string): KeelError {
  return new KeelError(
    "PATH_OUTSIDE_REPO",
    `Refusing to open ${path}: ${reason}`,
    { data: { path, reason } },
  );
}

async function _readAll(file: Deno.FsFile): Promise<string> {
  await file.seek(0, Deno.SeekMode.Start);
  const buf = new Uint8Array(4096);
  const n = await file.read(buf);
  return new TextDecoder().decode(buf.subarray(0, n ?? 0));
}
