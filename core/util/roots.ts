/**
 * One server, many folders: a request may name the repository it works in
 * (`repo`), which must lie inside one of the roots the server was started
 * with (`--root DIR`, repeatable; the working directory by default).
 *
 * @module
 */

import { isAbsolute, join, normalize } from "./posix_path.ts";
import { KeelError } from "../errors.ts";

/**
 * The directory a request works in.
 *
 * @param repo The `repo` param (absolute, or relative to `cwd`); undefined = `cwd`.
 * @param options `roots` the server allows (absolute; empty = `[cwd]`) and `cwd`.
 * @returns The absolute directory.
 * @throws {KeelError} PATH_OUTSIDE_REPO `{path, roots}` when it is not a
 *   string or lies outside every root (symlinks resolved); REPO_NOT_FOUND
 *   `{path}` when it does not exist.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { resolveRepoParam } from "./roots.ts";
 * assert.equal(resolveRepoParam(undefined, { roots: [], cwd: "/" }), "/");
 * assert.throws(() => resolveRepoParam("/etc", { roots: ["/tmp"], cwd: "/tmp" }), /outside/);
 * ```
 */
export function resolveRepoParam(
  repo: unknown,
  options: { roots: readonly string[]; cwd: string },
): string {
  if (repo === undefined) return options.cwd;
  const roots = options.roots.length === 0 ? [options.cwd] : options.roots;
  if (typeof repo !== "string" || repo === "") {
    throw new KeelError("PATH_OUTSIDE_REPO", "repo must be a non-empty path", {
      data: { path: String(repo), roots },
    });
  }
  const abs = normalize(isAbsolute(repo) ? repo : join(options.cwd, repo));
  const inside = (dir: string, root: string) =>
    dir === root || dir.startsWith(root.endsWith("/") ? root : `${root}/`);
  if (!roots.some((r) => inside(abs, normalize(r)))) {
    throw new KeelError("PATH_OUTSIDE_REPO", `${repo} is outside the server's roots`, {
      data: { path: repo, roots },
    });
  }
  let real: string;
  try {
    real = Deno.realPathSync(abs);
  } catch {
    throw new KeelError("REPO_NOT_FOUND", `${repo} does not exist`, { data: { path: repo } });
  }
  const realRoots = roots.map((r) => {
    try {
      return Deno.realPathSync(r);
    } catch {
      return normalize(r);
    }
  });
  if (!realRoots.some((r) => inside(real, r))) {
    throw new KeelError("PATH_OUTSIDE_REPO", `${repo} resolves outside the server's roots`, {
      data: { path: repo, roots, resolved: real },
    });
  }
  return abs;
}
