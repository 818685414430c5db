/**
 * Locate the `kitty-specs/` folder of a repository.
 *
 * @module
 */

import { dirname, join, resolve } from "../util/posix_path.ts";
import { KeelError } from "../errors.ts";
import { wrongKindError } from "../store/safe_file.ts";
import { assertInsideRoot, assertWorkDir } from "../util/paths.ts";

/**
 * Find `kitty-specs/` in `cwd` or the nearest parent that has one.
 *
 * @param cwd The directory to start from (absolute or relative).
 * @returns The absolute path of the `kitty-specs` folder.
 * @throws {KeelError} `KITTY_SPECS_NOT_FOUND` with `{path}` when no folder is found;
 *   `PATH_OUTSIDE_REPO` when the folder found is a symlink out of its repository,
 *   `PATH_SYMLINK_REFUSED` when it is a symlink inside it; `REPO_NOT_FOUND`
 *   when `cwd` is missing or inside a git directory.
 */
export async function findKittySpecs(cwd: string): Promise<string> {
  const start = resolve(cwd);
  assertWorkDir(start);
  let dir = start;
  while (true) {
    const candidate = join(dir, "kitty-specs");
    try {
      if ((await Deno.stat(candidate)).isDirectory) {
        assertInsideRoot(dir, candidate, "kitty-specs");
        // A symlinked kitty-specs would give its missions a second name (and
        // a second lock): refused like a symlinked mission folder.
        if ((await Deno.lstat(candidate)).isSymlink) {
          throw wrongKindError(candidate, "symlink", "directory");
        }
        return candidate;
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory)) {
        throw error;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new KeelError(
    "KITTY_SPECS_NOT_FOUND",
    `No kitty-specs folder in ${start} or its parents`,
    { data: { path: start } },
  );
}
