/**
 * The commit-existence port of the baseline check, from the git port
 * (`core/git` `commitLookup`).
 *
 * @module
 */

import { cliCommitLookup, commitLookup } from "../git/mod.ts";
import type { GitBackendChoice } from "../git/mod.ts";

/**
 * Ports a mission operation can be given in place of the repository's own
 * (tests pass fakes; the CLI and RPC pass none).
 */
export interface MissionPorts {
  /** Whether a commit exists: `true`, `false`, or `null` when it cannot be told. */
  repoHasCommit?: (sha: string) => boolean | null;
}

/**
 * A port telling whether a commit exists in the repository at `repoRoot`
 * through the git CLI: `true`, `false`, or `null` when it cannot be told (no
 * git, not a repository). Operations that honour `--git-backend` use
 * `commitLookup` instead.
 *
 * @param repoRoot The repository root.
 * @returns The port.
 */
export function gitCommitPort(repoRoot: string): (sha: string) => boolean | null {
  return cliCommitLookup(repoRoot);
}

/**
 * The commit-existence port for a mission through the backend asked for
 * (`--git-backend`): with `isomorphic`, every WP's `base_commit` is resolved
 * by isomorphic-git up front; otherwise the git CLI is asked lazily.
 *
 * @param mission The mission (its repository root and WP files).
 * @param backend The backend asked for.
 * @returns The port.
 * @throws {KeelError} `GIT_UNAVAILABLE` when isomorphic-git cannot be loaded.
 */
export function commitPortFor(
  mission: { repoRoot: string; wps: readonly { baseCommit: string | null }[] },
  backend: GitBackendChoice,
): Promise<(sha: string) => boolean | null> {
  const shas = mission.wps.flatMap((w) => w.baseCommit === null ? [] : [w.baseCommit]);
  return commitLookup(mission.repoRoot, backend, shas);
}
