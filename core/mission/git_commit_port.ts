/**
 * The commit-existence port of the baseline check, from the git port
 * (`core/git` `commitLookup`).
 *
 * @module
 */

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
 * The commit-existence port for a mission through the backend asked for
 * (`--git-backend`): with `isomorphic`, every WP's `base_commit` is resolved
 * by isomorphic-git up front; otherwise the git CLI is asked lazily. The port
 * is only ever asked about a WP's base commit, so a mission whose WPs name
 * none needs no git (and loads none).
 *
 * @param mission The mission (its repository root and WP files).
 * @param backend The backend asked for.
 * @returns The port.
 * @throws {KeelError} `GIT_UNAVAILABLE` when isomorphic-git cannot be loaded.
 */
export async function commitPortFor(
  mission: { repoRoot: string; wps: readonly { baseCommit: string | null }[] },
  backend: GitBackendChoice,
): Promise<(sha: string) => boolean | null> {
  const shas = mission.wps.flatMap((w) => w.baseCommit === null ? [] : [w.baseCommit]);
  if (shas.length === 0) return () => null;
  const { commitLookup } = await import("../git/mod.ts");
  return await commitLookup(mission.repoRoot, backend, shas);
}

/**
 * Whether `port` (made by {@link commitPortFor} for `before`) also serves
 * `after`: every base commit of `after` was one of `before`'s.
 *
 * @param before The mission the port was made for.
 * @param after The mission read again (under its lock).
 * @returns `true` when no new base commit appeared.
 */
export function samePortMission(
  before: { wps: readonly { baseCommit: string | null }[] },
  after: { wps: readonly { baseCommit: string | null }[] },
): boolean {
  const known = new Set(before.wps.map((w) => w.baseCommit));
  return after.wps.every((w) => w.baseCommit === null || known.has(w.baseCommit));
}
