/**
 * The git port: what keel asks of a repository, independent of how git is
 * reached. Two adapters implement it (the git CLI and isomorphic-git) and
 * one conformance suite holds them to identical answers.
 *
 * @module
 */

/** The adapter behind a {@link GitPort}. */
export type GitBackend = "cli" | "isomorphic";

/** The backend asked for: `auto` picks the CLI when `git` is on PATH. */
export type GitBackendChoice = GitBackend | "auto";

/**
 * How a path changed: Added, Modified, Deleted, Renamed (exact content),
 * Copied (reserved, never produced today) or Type changed (file ↔ symlink ↔
 * submodule).
 */
export type FileStatus = "A" | "M" | "D" | "R" | "C" | "T";

/** One changed path. */
export interface FileChange {
  /** Repo-relative POSIX path (the new path of a rename). */
  path: string;
  /** How it changed. */
  status: FileStatus;
  /** The old path; present only for `R` and `C`. */
  oldPath?: string;
}

/** One commit with the files it changed (against its first parent). */
export interface CommitInfo {
  /** Full 40-hex sha. */
  sha: string;
  /** Parent shas in order (empty for a root commit or a shallow boundary). */
  parents: string[];
  /** First paragraph of the message, its lines joined with one space. */
  subject: string;
  /** The message after the subject paragraph (trailers included), trimmed at the end. */
  body: string;
  /** Trailers of the last paragraph, keys as written, values in order. */
  trailers: Record<string, string[]>;
  /** Author name. */
  author: string;
  /** Author email. */
  authorEmail: string;
  /** Author date, strict ISO 8601 with the author's offset (`2026-01-02T03:04:05+01:00`). */
  authoredAt: string;
  /** Committer date, seconds since the epoch. */
  committedAt: number;
  /** Changed paths, sorted by path; a merge is diffed against its first parent. */
  files: FileChange[];
}

/** Uncommitted state of a worktree. */
export interface WorktreeStatus {
  /** HEAD → index, with exact-content renames; sorted by path. */
  staged: FileChange[];
  /** Index → working tree (no renames); sorted by path. */
  unstaged: FileChange[];
  /** Untracked, not ignored files (every file, not directories); sorted. */
  untracked: string[];
}

/** A commit that reverts another. */
export interface RevertInfo {
  /** The reverted commit (full sha). */
  reverted: string;
  /** The reverting commit (full sha). */
  by: string;
}

/**
 * Read access to one worktree of a git repository.
 *
 * Revisions accepted by methods taking a `ref`: a full or abbreviated
 * (≥ 4 hex) sha, a ref name (`HEAD`, `main`, `v1.0`, `origin/main`,
 * `refs/heads/main`), each optionally followed by `~N`, `^N`, `~` or `^`.
 * Anything else does not resolve.
 *
 * A port caches immutable objects (and isomorphic-git its pack indexes and
 * the shallow list): open one per operation or request, not per process.
 */
export interface GitPort {
  /** Which adapter answers. */
  readonly backend: GitBackend;
  /**
   * HEAD's commit as read when the port was opened, when the adapter read it
   * in passing (`prefetch`); absent otherwise. {@link GitPort.head} reads
   * HEAD anew.
   */
  readonly headAtOpen?: string;
  /** Sha of HEAD; `null` in a repository without commits. */
  head(): Promise<string | null>;
  /** Short branch name of HEAD; `null` when detached. */
  currentBranch(): Promise<string | null>;
  /** Absolute real path of this worktree's top level. */
  worktreeRoot(): Promise<string>;
  /** Absolute real path of the git directory shared by all worktrees. */
  commonDir(): Promise<string>;
  /** Absolute real path of this worktree's own git directory. */
  gitDir(): Promise<string>;
  /**
   * Commits reachable from `head` and not from `base`, parents before
   * children; among commits ready at the same time, the earliest committer
   * time first, then the lowest sha.
   */
  commitsInRange(base: string, head: string): Promise<CommitInfo[]>;
  /** Staged, unstaged and untracked changes. */
  worktreeStatus(): Promise<WorktreeStatus>;
  /** Whether `a` is `b` or an ancestor of `b`. */
  isAncestor(a: string, b: string): Promise<boolean>;
  /** The commit a revision names (tags peeled); `null` when it names none. */
  resolveRef(ref: string): Promise<string | null>;
  /**
   * Commits reachable from HEAD (and not from `sinceRef`) whose message says
   * `This reverts commit <sha>` for one of `shas` (full or ≥ 4-hex prefixes),
   * in the order of {@link GitPort.commitsInRange}.
   */
  findReverts(shas: readonly string[], sinceRef?: string): Promise<RevertInfo[]>;
}

/** Options of `openGit`. */
export interface OpenGitOptions {
  /** The adapter to use. */
  backend: GitBackendChoice;
  /** The git executable for the CLI adapter (default `git`, looked up on PATH). */
  gitBinary?: string;
  /**
   * Full commit shas a caller will resolve next: the CLI adapter checks them
   * in the process that locates the repository (one process instead of one
   * each), and reads HEAD there too ({@link GitPort.headAtOpen}). Anything it
   * cannot tell there is resolved as usual when asked.
   */
  prefetch?: readonly string[];
}
