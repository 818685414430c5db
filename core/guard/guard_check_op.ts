/**
 * `keel guard check PATH…` / `guard/check`: whether each path may be
 * touched under the active run's approved scope — the same decision drift
 * analysis makes at finish.
 *
 * @module
 */

import { isAbsolute, join, normalize, relative } from "node:path";
import { z } from "zod";
import { parseParams } from "../params.ts";
import { nameParam } from "../param_schemas.ts";
import { type KeelLayout, locateKeel } from "../contract/layout.ts";
import type { OpContext } from "../context.ts";
import { normalizeRepoPath } from "../util/paths.ts";
import { decidePath, guardedRuns, type PathDecision } from "./active_scope.ts";

/** Params of {@link guardCheckOp}. */
export const GuardCheckParams = z.strictObject({
  paths: z.array(nameParam()).min(1).describe(
    "Paths to check (absolute, or relative to the working directory).",
  ),
  contract: nameParam().optional().describe("Only this contract's active run (default: all)."),
});

/** Result of {@link guardCheckOp}. */
export interface GuardCheckResult {
  /** Every path is allowed. */
  ok: boolean;
  /** The active runs checked against (empty: nothing is enforced). */
  runs: { run_id: string; contract: string; allowed_files: string[]; forbidden_files: string[] }[];
  /** One decision per path, in the order given. */
  paths: PathDecision[];
}

/**
 * Check paths against the active runs.
 *
 * @param params `{paths, contract?}`.
 * @param ctx Operation context (paths are relative to `ctx.cwd`).
 * @returns The decisions; `ok` decides the exit code (0 / 1).
 * @throws {KeelError} RUN_NOT_FOUND / RUN_REPORT_INVALID when an active
 *   run's report cannot be read.
 */
export async function guardCheckOp(
  params: z.input<typeof GuardCheckParams>,
  ctx: OpContext,
): Promise<GuardCheckResult> {
  params = parseParams(GuardCheckParams, params);
  const p = GuardCheckParams.parse(params);
  return await checkPaths(locateKeel(ctx.cwd), p.paths, { cwd: ctx.cwd, contract: p.contract });
}

/**
 * Check paths against the active runs (shared by the hooks).
 *
 * @param layout Where .keel is.
 * @param paths Paths as given.
 * @param options `cwd` relative paths start from; `contract` to check one contract.
 * @returns The decisions.
 */
export async function checkPaths(
  layout: KeelLayout,
  paths: readonly string[],
  options: { cwd: string; contract?: string | undefined },
): Promise<GuardCheckResult> {
  const runs = await guardedRuns(layout, options.contract);
  const decisions = paths.map((input) =>
    decidePath(runs, input, repoRelative(layout.root, options.cwd, input))
  );
  return {
    ok: decisions.every((d) => d.allowed),
    runs: runs.map((r) => ({
      run_id: r.run_id,
      contract: r.contract,
      allowed_files: r.allowed_files,
      forbidden_files: r.forbidden_files,
    })),
    paths: decisions,
  };
}

/**
 * A path as a repo-relative POSIX path, or null when it lies outside the
 * repository. Lexical: symlinks are not followed (a path through a symlinked
 * root is tried against the real root too).
 *
 * @param root The repository root.
 * @param cwd Where relative paths start.
 * @param input The path.
 * @returns The repo-relative path, or null.
 */
export function repoRelative(root: string, cwd: string, input: string): string | null {
  const abs = normalize(isAbsolute(input) ? input : join(cwd, input));
  for (const r of _roots(root)) {
    const rel = relative(r, abs);
    if (rel === "") return ".";
    if (!rel.startsWith("..") && !isAbsolute(rel)) return normalizeRepoPath(rel);
  }
  return null;
}

function _roots(root: string): string[] {
  try {
    const real = Deno.realPathSync(root);
    return real === root ? [root] : [root, real];
  } catch {
    return [root];
  }
}
