/**
 * Repository-relative POSIX paths and globs: normalisation and the checks
 * that keep every path inside the repository.
 *
 * @module
 */

import { KeelError } from "../errors.ts";

/** Why a path or glob was refused, or `null` when it is fine. */
export type PathProblem = "empty" | "absolute" | "parent" | "control" | null;

/**
 * Normalise a repo-relative path or glob to POSIX form: backslashes become
 * slashes, `./` prefixes and repeated slashes are removed.
 *
 * @param input The path as written.
 * @returns The normalised path.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalizeRepoPath } from "./paths.ts";
 * assert(normalizeRepoPath("./src//a.ts") === "src/a.ts");
 * ```
 */
export function normalizeRepoPath(input: string): string {
  let p = input.trim().replaceAll("\\", "/");
  p = p.replace(/\/{2,}/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  p = p.split("/").filter((seg, i, all) => !(seg === "." && i < all.length)).join("/");
  if (p.length > 1 && p.endsWith("/")) p = p.slice(0, -1);
  return p;
}

/**
 * Check a normalised repo-relative path or glob.
 *
 * @param path A path from {@link normalizeRepoPath}.
 * @returns The problem, or `null`.
 */
export function repoPathProblem(path: string): PathProblem {
  if (path === "") return "empty";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "absolute";
  if (path.split("/").some((seg) => seg === "..")) return "parent";
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f]/.test(path)) return "control";
  return null;
}

/**
 * Refuse a path that resolves outside `root` through a symlink: the nearest
 * existing ancestor of `path` (or `path` itself) is resolved and must lie
 * inside the resolved `root`. Missing components cannot be symlinks, so a
 * path that does not exist yet is checked through its parent.
 *
 * @param root The repository root.
 * @param path An absolute path under `root`.
 * @param display The path as shown to people (repo-relative).
 * @throws {KeelError} `PATH_OUTSIDE_REPO` `{path, resolved}` when it escapes.
 */
export function assertInsideRoot(root: string, path: string, display: string): void {
  const real = _realAncestor(path);
  const realRoot = _realAncestor(root);
  if (real === null || realRoot === null) return;
  if (real === realRoot || real.startsWith(realRoot.endsWith("/") ? realRoot : realRoot + "/")) {
    return;
  }
  throw new KeelError(
    "PATH_OUTSIDE_REPO",
    `${display} resolves outside the repository (through a symlink to ${real})`,
    { data: { path: display, resolved: real } },
  );
}

function _realAncestor(path: string): string | null {
  let p = path;
  while (true) {
    try {
      return Deno.realPathSync(p);
    } catch {
      // A dangling symlink: where it points is where a write would land.
      try {
        if (Deno.lstatSync(p).isSymlink) {
          const target = Deno.readLinkSync(p);
          return target.startsWith("/") ? target : `${p.slice(0, p.lastIndexOf("/"))}/${target}`;
        }
      } catch {
        // missing: check the parent
      }
      const i = p.lastIndexOf("/");
      if (i <= 0) return null;
      p = p.slice(0, i);
    }
  }
}

/**
 * Check the directory a command works in (`--repo` or the current
 * directory): it must exist and be a folder, and neither it nor a folder
 * above it may be a git directory (a bare repository, or the `.git` folder
 * of a work tree), so keel never writes `.keel/` into git's own files.
 *
 * @param cwd Absolute directory.
 * @throws {KeelError} `REPO_NOT_FOUND` `{path, reason}` (`missing`,
 *   `not_a_directory`, `bare_repository`).
 */
export function assertWorkDir(cwd: string): void {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(cwd);
  } catch {
    throw new KeelError("REPO_NOT_FOUND", `No such directory: ${cwd}`, {
      data: { path: cwd, reason: "missing" },
    });
  }
  if (!info.isDirectory) {
    throw new KeelError("REPO_NOT_FOUND", `Not a directory: ${cwd}`, {
      data: { path: cwd, reason: "not_a_directory" },
    });
  }
  let dir = cwd.replace(/\/+$/, "") || "/";
  while (true) {
    if (_isFile(`${dir}/.git`) || _isDir(`${dir}/.git`)) return;
    if (_isFile(`${dir}/HEAD`) && _isDir(`${dir}/objects`) && _isDir(`${dir}/refs`)) {
      throw new KeelError(
        "REPO_NOT_FOUND",
        `${dir} is a git directory (a bare repository or a .git folder); keel needs a work tree`,
        { data: { path: cwd, reason: "bare_repository" } },
      );
    }
    const parent = dir.slice(0, dir.lastIndexOf("/")) || "/";
    if (parent === dir) return;
    dir = parent;
  }
}

function _isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function _isDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}
