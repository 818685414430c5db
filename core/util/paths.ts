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
