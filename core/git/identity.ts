/**
 * The git identity (`user.name`, `user.email`) of a repository, through the
 * backend asked for.
 *
 * @module
 */

import { KeelError } from "../errors.ts";
import { launchGit } from "./run_git.ts";
import type { GitBackendChoice } from "./types.ts";

/** `user.name` and `user.email`, or null where unset. */
export interface GitIdentity {
  /** `user.name`. */
  name: string | null;
  /** `user.email`. */
  email: string | null;
}

/**
 * Read the identity git would commit with.
 *
 * - `cli` and `auto`: `git config --get` (system, global and repository
 *   config, as git resolves them); nulls without git.
 * - `isomorphic`: the repository's own config (`.git/config`) only:
 *   isomorphic-git reads no global or system config.
 *
 * Outside a repository every backend answers nulls from the repository
 * config (the CLI still reads the global config).
 *
 * @param cwd A directory in the repository.
 * @param backend The backend asked for.
 * @returns The identity.
 * @throws {KeelError} `GIT_UNAVAILABLE` when isomorphic-git cannot be loaded.
 */
export async function gitIdentity(cwd: string, backend: GitBackendChoice): Promise<GitIdentity> {
  if (backend !== "isomorphic") {
    const get = async (key: string) => {
      try {
        const out = await launchGit(["config", "--get", key], { cwd });
        const v = new TextDecoder().decode(out.stdout).trim();
        return out.code === 0 && v !== "" ? v : null;
      } catch {
        return null;
      }
    };
    const [name, email] = await Promise.all([get("user.name"), get("user.email")]);
    return { name, email };
  }
  const { locateWithFs } = await import("./iso_git.ts");
  let commonDir: string;
  try {
    commonDir = (await locateWithFs(cwd)).commonDir;
  } catch (error) {
    if (error instanceof KeelError && error.code === "REPO_NOT_FOUND") {
      return { name: null, email: null };
    }
    throw error;
  }
  const [iso, fs] = await Promise.all([import("isomorphic-git"), import("node:fs")]);
  const get = async (path: string) => {
    const v = await iso.getConfig({ fs, gitdir: commonDir, path });
    return typeof v === "string" && v.trim() !== "" ? v.trim() : null;
  };
  const [name, email] = await Promise.all([get("user.name"), get("user.email")]);
  return { name, email };
}
