/**
 * Repository-relative POSIX paths and globs: normalisation and the checks
 * that keep every path inside the repository.
 *
 * @module
 */

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
 * import { normalizeRepoPath } from "./paths.ts";
 * console.assert(normalizeRepoPath("./src//a.ts") === "src/a.ts");
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
