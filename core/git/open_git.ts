/**
 * Opening the git port.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import type { GitPort, OpenGitOptions } from "./types.ts";

/**
 * Open the git port for the worktree around `cwd`.
 *
 * `auto` uses the git CLI when `git` can be started, else isomorphic-git
 * (loaded only then).
 *
 * @param cwd A directory inside the worktree.
 * @param options The backend.
 * @returns The port.
 * @throws {KeelError} `REPO_NOT_FOUND` (`{path}`) outside a worktree;
 *   `GIT_UNAVAILABLE` (`{backend}`) when the requested backend cannot run.
 *
 * @example
 * ```ts ignore
 * import { openGit } from "./open_git.ts";
 * const git = await openGit(Deno.cwd(), { backend: "auto" });
 * console.log(git.backend, await git.head());
 * ```
 */
export async function openGit(cwd: string, options: OpenGitOptions): Promise<GitPort> {
  if (options.backend !== "isomorphic") {
    try {
      const binary = options.gitBinary ?? "git";
      const { cliGit, locateWithCli } = await import("./cli_git.ts");
      return cliGit(await locateWithCli(cwd, binary, options.prefetch), binary);
    } catch (error) {
      if (!(error instanceof KeelError && error.code === "GIT_UNAVAILABLE")) throw error;
      if (options.backend === "cli") throw error;
    }
  }
  try {
    const { isoGit, locateWithFs } = await import("./iso_git.ts");
    return await isoGit(await locateWithFs(cwd));
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw new KeelError("GIT_UNAVAILABLE", "isomorphic-git cannot be loaded", {
      data: { backend: "isomorphic" },
      cause: error,
    });
  }
}
